package dev.agentchat.ports.chat;

import dev.agentchat.domain.chat.ConversationWindow;
import dev.agentchat.domain.chat.ModelStreamItem;
import dev.agentchat.domain.message.Message;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.step.Step;
import dev.agentchat.domain.step.StepKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A thread's stored conversation as the model sees it: each user message, then the tool rounds of
 * the run that answered it (rebuilt from its tool steps: the calls, then their results), then the
 * answer. The newest part that fits the agent's token budget is kept; a round of tool calls and
 * results stays together. A call a person approved with arguments of their own shows those: they
 * are the ones it ran with.
 */
final class ConversationHistory {
    private ConversationHistory() {
    }

    static List<ModelMessage> of(List<Message> messages, List<Step> steps, int tokenBudget) {
        Map<RunId, List<Step>> toolSteps = steps.stream()
                .filter(step -> step.kind() == StepKind.TOOL_CALL && step.status().isTerminal())
                .collect(Collectors.groupingBy(Step::runId, LinkedHashMap::new, Collectors.toList()));
        List<List<ModelMessage>> groups = new ArrayList<>();
        for (Message message : messages) {
            switch (message.role()) {
                case USER -> groups.add(List.of(ModelMessage.user(message.content())));
                case ASSISTANT -> {
                    groups.addAll(toolRounds(toolSteps.getOrDefault(message.runId(), List.of())));
                    groups.add(List.of(ModelMessage.assistant(message.content())));
                }
                // Instructions come from the agent, not the thread; tool exchanges come from the steps.
                case SYSTEM, TOOL -> { }
            }
        }
        return ConversationWindow.newestWithin(groups, ConversationHistory::estimateTokens, tokenBudget);
    }

    /**
     * The conversation of {@code run}, paused for approval, up to the round that waits: the thread's
     * earlier conversation within {@code tokenBudget} (as {@link #of} gave it when the run began, for
     * the thread cannot change while the run holds it), the run's request, then the rounds the run
     * finished before the pause. The paused round is added by whoever decides its calls.
     */
    static List<ModelMessage> resuming(List<Message> messages, List<Step> steps, Run run, int tokenBudget) {
        List<Message> earlier = messages.stream().filter(message -> !run.id().equals(message.runId())).toList();
        List<Step> earlierSteps = steps.stream().filter(step -> !run.id().equals(step.runId())).toList();
        List<ModelMessage> conversation = new ArrayList<>(of(earlier, earlierSteps, tokenBudget));
        messages.stream().filter(message -> message.id().equals(run.requestMessageId())).findFirst()
                .ifPresent(request -> conversation.add(ModelMessage.user(request.content())));
        int pausedRound = run.approvals().round();
        List<Step> finishedRounds = steps.stream()
                .filter(step -> run.id().equals(step.runId()) && step.kind() == StepKind.TOOL_CALL
                        && step.round() < pausedRound && step.status().isTerminal())
                .toList();
        toolRounds(finishedRounds).forEach(conversation::addAll);
        return conversation;
    }

    /** One group per model call that asked for tools: its calls, then their results, in the order they were asked. */
    private static List<List<ModelMessage>> toolRounds(List<Step> steps) {
        Map<Integer, List<Step>> byRound = steps.stream()
                .sorted(Comparator.comparingInt(Step::position))
                .collect(Collectors.groupingBy(Step::round, TreeMap::new, Collectors.toList()));
        List<List<ModelMessage>> rounds = new ArrayList<>();
        for (List<Step> round : byRound.values()) {
            List<ModelMessage> group = new ArrayList<>();
            group.add(new ModelMessage.Assistant("", round.stream()
                    .map(step -> new ModelStreamItem.ToolCallRequest(step.callId(), step.toolName(),
                            step.effectiveArguments()))
                    .toList()));
            for (Step step : round) {
                group.add(new ModelMessage.ToolResult(step.callId(), step.resultForModel()));
            }
            rounds.add(group);
        }
        return rounds;
    }

    private static int estimateTokens(ModelMessage message) {
        int tokens = ConversationWindow.estimateTokens(message.content());
        if (message instanceof ModelMessage.Assistant assistant) {
            for (ModelStreamItem.ToolCallRequest call : assistant.toolCalls()) {
                tokens += ConversationWindow.estimateTokens(call.toolName() + call.arguments());
            }
        }
        return tokens;
    }
}
