// Highlights fenced code blocks (<pre><code class="language-…">) with the vendored highlight.js, which the page
// loads just before this file (both deferred, so in order). Without JavaScript, code stays plain and readable.
if (window.hljs) {
  window.hljs.highlightAll();
}
