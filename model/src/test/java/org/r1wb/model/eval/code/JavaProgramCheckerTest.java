package org.r1wb.model.eval.code;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Each case starts a JVM (≈ 1 s): the checker's whole point is the separate process. */
class JavaProgramCheckerTest {

    private static final String TESTS = "check(add(2, 3) == 5); check(add(-1, 1) == 0);";
    private final JavaProgramChecker checker = new JavaProgramChecker();

    @Test
    void aRightProgramPassesAndAWrongOneFails() {
        assertThat(checker.run("static int add(int a, int b) { return a + b; }", TESTS, 20_000, 64).status())
                .isEqualTo(JavaProgramChecker.Status.PASS);
        assertThat(checker.run("static int add(int a, int b) { return a * b; }", TESTS, 20_000, 64).status())
                .isEqualTo(JavaProgramChecker.Status.FAIL);
        assertThat(checker.run("static int add(int a, int b) { return a + ; }", TESTS, 20_000, 64).status())
                .isEqualTo(JavaProgramChecker.Status.COMPILE_ERROR);
    }

    @Test
    void anEndlessLoopIsStoppedAtTheTimeLimit() {
        JavaProgramChecker.Outcome outcome = checker.run(
                "static int add(int a, int b) { while (true) { a++; } }", TESTS, 4_000, 64);
        assertThat(outcome.status()).isEqualTo(JavaProgramChecker.Status.TIMEOUT);
        assertThat(outcome.millis()).isBetween(4_000L, 15_000L);
    }

    @Test
    void aProgramThatAllocatesTooMuchHitsTheMemoryLimit() {
        JavaProgramChecker.Outcome outcome = checker.run(
                "static int add(int a, int b) { long[] big = new long[64 << 20]; return big.length > 0 ? a + b : 0; }",
                TESTS, 20_000, 32);
        assertThat(outcome.status()).as(outcome.output()).isEqualTo(JavaProgramChecker.Status.OUT_OF_MEMORY);
    }
}
