/**
 * The {@code icl-sam} command line: {@code demo}, {@code segment} and {@code evaluate}, and the one class that
 * assembles the default pipeline ({@code DefaultPipeline}). Readers live in {@code data}, the evaluation
 * protocol in {@code eval}, pictures and tables in {@code report}.
 */
package org.iclsam.examples;
