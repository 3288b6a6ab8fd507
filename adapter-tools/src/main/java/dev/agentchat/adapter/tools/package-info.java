/** Built-in tools that work offline. */
package dev.agentchat.adapter.tools;
