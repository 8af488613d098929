package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.ferry.cli.output.Listing;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ferry token create}: a new token for {@code FERRY_AUTH=tokens}, and the line that admits it. */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = "Makes tokens for FERRY_AUTH=tokens (nothing is sent anywhere).",
        subcommands = TokenCommand.CreateToken.class)
final class TokenCommand implements Runnable {
    @CommandLine.Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Prints a new random token (32 bytes, hex) and the line to add to FERRY_TOKENS_FILE: "
                    + "the token's SHA-256, the user, the project and the roles. Only the line is stored; give the "
                    + "token to its user, who sends it in X-Auth-Token.")
    static final class CreateToken implements Callable<Integer> {
        private static final Pattern WORD = Pattern.compile("[^\\s#][^\\s]*");
        private static final Pattern ROLES = Pattern.compile("[^\\s,]+(,[^\\s,]+)*");
        private static final SecureRandom RANDOM = new SecureRandom();

        @CommandLine.Spec
        private CommandSpec spec;

        @CommandLine.Parameters(index = "0", paramLabel = "<user>", description = "The user the token stands for.")
        private String user;

        @CommandLine.Parameters(index = "1", paramLabel = "<project>", description = "The user's project.")
        private String project;

        @CommandLine.Parameters(index = "2", arity = "0..1", paramLabel = "<roles>", defaultValue = "member,reader",
                description = "Comma-separated roles, taken literally (default: ${DEFAULT-VALUE}; an admin: admin).")
        private String roles;

        @CommandLine.Mixin
        private OutputOptions output; // without -f or -c: the token and the line, in words

        @Override
        public Integer call() {
            output.format();
            for (String[] checked : new String[][] {{"<user>", user}, {"<project>", project}}) {
                if (!WORD.matcher(checked[1]).matches()) {
                    throw new CommandLine.ParameterException(spec.commandLine(), checked[0] + " '" + checked[1]
                            + "' cannot go into a tokens file line: use no spaces, and do not start with #");
                }
            }
            if (!ROLES.matcher(roles).matches()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "<roles> '" + roles + "' is not a "
                        + "comma-separated list of roles without spaces, e.g. member,reader");
            }
            byte[] secret = new byte[32];
            RANDOM.nextBytes(secret);
            String token = HexFormat.of().formatHex(secret);
            String line = sha256(token) + " " + user + " " + project + " " + roles;
            if (!spec.commandLine().getParseResult().hasMatchedOption("--format")
                    && !spec.commandLine().getParseResult().hasMatchedOption("--column")) {
                spec.commandLine().getOut().println("Token (give it to " + user + "; it is not stored): " + token);
                spec.commandLine().getOut().println("Add this line to FERRY_TOKENS_FILE:");
                spec.commandLine().getOut().println(line);
                spec.commandLine().getOut().flush();
                return 0;
            }
            Map<String, JsonNode> fields = new LinkedHashMap<>();
            fields.put("token", TextNode.valueOf(token));
            fields.put("tokens_file_line", TextNode.valueOf(line));
            output.print(Listing.record(fields), spec.commandLine().getOut());
            return 0;
        }

        static String sha256(String token) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(token.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is missing from this JVM", e);
            }
        }
    }
}
