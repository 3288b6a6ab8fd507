/** The chat model port on Azure OpenAI through the azure-ai-openai SDK. */
package dev.agentchat.adapter.openai;
