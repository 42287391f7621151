/** The README's first program, built as a new project would build it. */
package com.example;
