/**
 * The {@code icl-sam} command line: {@code demo}, {@code prepare}, {@code segment}, {@code evaluate}, {@code prompts}
 * and {@code metrics}, and the one class that assembles the default pipeline ({@code DefaultPipeline}). Readers live in {@code data}, the evaluation
 * protocol in {@code eval}, pictures and tables in {@code report}.
 */
package org.iclsam.examples;
