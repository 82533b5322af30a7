package org.r1wb.agent;

import picocli.CommandLine.Command;

/** {@code r1wb tokenizer train|encode}, after SentencePiece's {@code spm_train} / {@code spm_encode}. */
@Command(name = "tokenizer", description = "Train and apply byte-level BPE tokenizers (HF tokenizer.json).",
        subcommands = {TokenizerTrainCommand.class, TokenizerEncodeCommand.class})
public final class TokenizerCommand {
}
