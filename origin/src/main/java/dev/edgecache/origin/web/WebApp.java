package dev.edgecache.origin.web;

import dev.edgecache.origin.account.AccountService;
import dev.edgecache.origin.blog.CriticalPaths;
import dev.edgecache.origin.blog.Images;
import dev.edgecache.origin.blog.PostService;
import dev.edgecache.origin.blog.PreviewLinks;
import dev.edgecache.origin.http.ErrorPages;
import dev.edgecache.origin.http.Handler;
import dev.edgecache.origin.http.Router;
import dev.edgecache.origin.markdown.Markdown;
import dev.edgecache.origin.render.RendererRegistry;
import dev.edgecache.origin.view.Templates;

/**
 * The origin's web application: application routes (accounts, author pages, API, assets, edge endpoints) first,
 * then every other GET goes to the renderer mounted on its path.
 */
public final class WebApp {
    private final Router router;
    private final ErrorPages errors;

    public WebApp(
            AccountService accounts,
            PostService posts,
            CriticalPaths critical,
            RendererRegistry renderers,
            Templates templates,
            Markdown markdown,
            PreviewLinks previews,
            Images images,
            boolean secureCookies) {
        SessionCookies sessions = new SessionCookies(accounts, secureCookies);
        CsrfGuard csrf = new CsrfGuard(secureCookies);
        Pages pages = new Pages(templates);
        this.router = new Router(new PublicPages(renderers, sessions));
        new AccountPages(accounts, sessions, csrf, pages).register(router);
        new PreviewPages(posts, previews, markdown, sessions, csrf, pages).register(router);
        new AuthorPages(posts, sessions, csrf, pages).register(router);
        new AccountApi(accounts, sessions).register(router);
        new PostApi(posts, sessions).register(router);
        new EdgeEndpoints(critical).register(router);
        new Assets().register(router);
        new ImagePages(images, sessions).register(router);
        this.errors = new WebErrorPages(pages);
    }

    public Handler handler() {
        return router;
    }

    public ErrorPages errors() {
        return errors;
    }
}
