package dev.ingresskit.encap.contract;

import java.nio.ByteBuffer;

class DirectByteBufferContractTest extends ByteBufferContract {
    @Override
    ByteBuffer allocate(int capacity) {
        return ByteBuffer.allocateDirect(capacity);
    }
}
