package org.r1wb.agent.remote;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.KeyPair;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A user key pair written as OpenSSH files: {@code id_ed25519}, {@code id_ed25519.pub}, {@code authorized_keys}. */
record TestKeys(Path privateKey, Path publicKey, Path authorizedKeys, String privateText) {

    static TestKeys create(Path dir, String name) throws Exception {
        return create(dir, name, null);
    }

    /** A key pair whose private key is encrypted with {@code passphrase} (none when null). */
    static TestKeys create(Path dir, String name, String passphrase) throws Exception {
        Files.createDirectories(dir);
        KeyPair pair = KeyPair.genKeyPair(new JSch(), KeyPair.ED25519);
        Path privateKey = dir.resolve(name);
        Path publicKey = dir.resolve(name + ".pub");
        ByteArrayOutputStream secret = new ByteArrayOutputStream();
        pair.writeOpenSSHv1PrivateKey(secret, passphrase == null ? null : passphrase.getBytes(StandardCharsets.UTF_8));
        Files.write(privateKey, secret.toByteArray());
        ByteArrayOutputStream pub = new ByteArrayOutputStream();
        pair.writePublicKey(pub, "r1wb-test");
        Files.write(publicKey, pub.toByteArray());
        Path authorized = dir.resolve(name + ".authorized_keys");
        Files.write(authorized, pub.toByteArray());
        pair.dispose();
        return new TestKeys(privateKey, publicKey, authorized, secret.toString(StandardCharsets.US_ASCII));
    }

    /** The base64 body lines of the private key: what must never appear anywhere else. */
    String privateBody() {
        return privateText.lines().filter(l -> !l.startsWith("-----")).reduce("", String::concat);
    }

    void authorize(Path authorizedKeys) throws IOException {
        Files.writeString(authorizedKeys, Files.readString(publicKey));
    }
}
