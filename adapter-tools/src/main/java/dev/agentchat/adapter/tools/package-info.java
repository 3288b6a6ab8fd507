/**
 * Built-in tools that work offline: {@link dev.agentchat.adapter.tools.BuiltInTools} is the
 * {@link dev.agentchat.ports.tool.ToolRuntime}; each tool lives in a package of its own concept
 * ({@code time}, {@code calculator}, {@code knowledge}) behind the small {@link dev.agentchat.adapter.tools.Tool} interface.
 */
package dev.agentchat.adapter.tools;
