package dev.agentchat.ports.message;

import dev.agentchat.domain.message.Message;
import dev.agentchat.domain.thread.ThreadId;
import java.util.List;

/** Keeps the messages of threads. */
public interface MessageStore {

    /** Stores a new message; a message with the same id is a {@link dev.agentchat.ports.store.RecordConflict}. */
    void append(Message message);

    /** The thread's messages in the order they were appended. */
    List<Message> listByThread(ThreadId threadId);

    /** Removes every message of the thread; how many there were. */
    int deleteByThread(ThreadId threadId);
}
