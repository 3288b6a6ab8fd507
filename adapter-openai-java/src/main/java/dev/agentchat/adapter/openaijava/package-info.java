/**
 * The chat model port on Azure OpenAI and OpenAI-compatible servers through the openai-java SDK and its
 * OkHttp transport. The answer is read on the caller's thread: no thread hand-over per token.
 */
package dev.agentchat.adapter.openaijava;
