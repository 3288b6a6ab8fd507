package dev.agentchat.adapter.memory.store;

import dev.agentchat.ports.chat.IdempotencyKeys;
import dev.agentchat.ports.contract.IdempotencyKeysContract;

class InMemoryIdempotencyKeysTest extends IdempotencyKeysContract {
    @Override
    protected IdempotencyKeys createSubject() {
        return new InMemoryIdempotencyKeys();
    }
}
