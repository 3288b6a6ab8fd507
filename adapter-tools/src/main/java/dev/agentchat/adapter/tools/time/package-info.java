/** The {@code current_time} tool: the time now, in a time zone the model names. */
package dev.agentchat.adapter.tools.time;
