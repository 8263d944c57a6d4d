/**
 * The {@code icl-sam} command line and the dataset readers it uses.
 */
package org.iclsam.examples;
