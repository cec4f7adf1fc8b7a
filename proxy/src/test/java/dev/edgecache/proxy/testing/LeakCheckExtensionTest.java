package dev.edgecache.proxy.testing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The leak check must be able to fail: a buffer dropped without release is reported. */
class LeakCheckExtensionTest {
    @Test
    void aDroppedBufferFailsTheCheck() {
        leakOne();
        ExtensionContext context = (ExtensionContext) Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {ExtensionContext.class},
                (proxy, method, args) -> method.getName().equals("getDisplayName") ? "LeakCheckExtensionTest" : null);
        assertThatThrownBy(() -> new LeakCheckExtension().afterAll(context))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("leak");
    }

    private static void leakOne() {
        ByteBuf leaked = PooledByteBufAllocator.DEFAULT.buffer(32);
        leaked.writeInt(42); // never released
    }
}
