package dev.agentchat.adapter.openai;

import dev.agentchat.domain.chat.ModelStreamItem;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The model side of the per-token path: one streamed chunk of the OpenAI wire format, as bytes off
 * the connection, split into its event and translated into stream items. It lives in the OpenAI
 * adapter's package because the parser is that package's own.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class ChunkParseBenchmark {
    private static final String CHUNK = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1732500000,"
            + "\"model\":\"gpt-4o-mini\",\"system_fingerprint\":\"fp_1\",\"choices\":[{\"index\":0,\"delta\":"
            + "{\"content\":\" network\"},\"logprobs\":null,\"finish_reason\":null}]}";

    private ServerSentEvents events;
    private ChunkTranslator translator;
    private byte[] wire;

    @Setup
    public void setUp() {
        events = new ServerSentEvents();
        translator = new ChunkTranslator(new ModelFailures(AzureOpenAiSettings.openAiCompatible(
                "http://127.0.0.1:1/v1", "bench", java.util.Optional.empty())));
        wire = ("data: " + CHUNK + "\n\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A text chunk from the wire to its text delta. */
    @Benchmark
    public List<ModelStreamItem> chunkToItems() {
        return translator.translate(events.feed(wire).getFirst());
    }
}
