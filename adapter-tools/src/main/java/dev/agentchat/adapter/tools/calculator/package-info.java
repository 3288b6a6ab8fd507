/** The {@code calculator} tool: a safe evaluator of arithmetic expressions (a parser of its own, never an eval). */
package dev.agentchat.adapter.tools.calculator;
