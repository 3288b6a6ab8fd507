/**
 * The chat model port on Azure OpenAI, and on OpenAI-compatible servers, through the azure-ai-openai SDK.
 * Every SDK, azure-core, Netty and Reactor type stays inside this package: {@link
 * dev.agentchat.adapter.openai.AzureOpenAiChatModel} and {@link dev.agentchat.adapter.openai.AzureOpenAiSettings}
 * are all that other modules see.
 */
package dev.agentchat.adapter.openai;
