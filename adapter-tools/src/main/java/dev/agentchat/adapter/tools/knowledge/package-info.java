/**
 * The {@code search_knowledge_base} tool: markdown articles shipped as resources under {@code knowledge/},
 * split into sections at their headings and ranked with BM25.
 */
package dev.agentchat.adapter.tools.knowledge;
