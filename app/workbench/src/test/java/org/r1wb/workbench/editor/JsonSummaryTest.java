package org.r1wb.workbench.editor;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JsonSummaryTest {

    @Test
    void flattensNestedObjectsAndShortArrays() throws Exception {
        String json = "{\"dModel\":128,\"tied\":true,\"moe\":{\"topK\":2,\"gate\":\"SOFTMAX\"},"
                + "\"tokens\":[\"<a>\",\"<b>\"],\"nodes\":[{\"id\":1},{\"id\":2},{\"id\":3}]}";

        assertThat(JsonSummary.flatten(new ObjectMapper().readTree(json))).containsExactly(
                new JsonSummary.Entry("dModel", "128"),
                new JsonSummary.Entry("tied", "true"),
                new JsonSummary.Entry("moe.topK", "2"),
                new JsonSummary.Entry("moe.gate", "SOFTMAX"),
                new JsonSummary.Entry("tokens", "[<a>, <b>]"),
                new JsonSummary.Entry("nodes", "3 items"));
    }
}
