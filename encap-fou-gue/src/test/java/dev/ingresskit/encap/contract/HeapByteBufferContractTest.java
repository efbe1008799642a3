package dev.ingresskit.encap.contract;

import java.nio.ByteBuffer;

class HeapByteBufferContractTest extends ByteBufferContract {
    @Override
    ByteBuffer allocate(int capacity) {
        // a slice, so the backing array's offset is not 0
        return ByteBuffer.allocate(capacity + 5).position(5).slice();
    }
}
