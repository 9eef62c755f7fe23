package org.lvsha.core.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as a Jackson tree plus the location of every node, keyed by path: {@code a.b[2].c}. The tree is
 * read once for binding and the same text once more token by token for locations (Jackson trees do not keep
 * them), so validation can name the line and column of any value, or of the mapping that lacks a key.
 */
public final class LocatedYaml {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final String file;
    private final String text;
    private final JsonNode root;
    private final Map<String, int[]> locations;

    private LocatedYaml(String file, String text, JsonNode root, Map<String, int[]> locations) {
        this.file = file;
        this.text = text;
        this.root = root;
        this.locations = locations;
    }

    /** Reads and parses {@code path}; an unreadable file or a syntax error is an {@link InvalidConfigException}. */
    public static LocatedYaml read(Path path) {
        try {
            return parse(path.toString(), Files.readString(path));
        } catch (IOException e) {
            throw new InvalidConfigException(List.of(path + ":1:1: cannot read: " + e.getMessage()));
        }
    }

    public static LocatedYaml parse(String file, String text) {
        try {
            JsonNode root = YAML.readTree(text);
            Map<String, int[]> locations = new HashMap<>();
            try (JsonParser p = YAML.getFactory().createParser(text)) {
                index(p, locations);
            }
            return new LocatedYaml(file, text, root == null ? MissingNode.getInstance() : root, locations);
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            int line = l == null ? 1 : Math.max(1, l.getLineNr());
            int col = l == null ? 1 : Math.max(1, l.getColumnNr());
            throw new InvalidConfigException(List.of(file + ":" + line + ":" + col + ": not valid YAML: " + e.getOriginalMessage().replaceAll("\\s*\n\\s*", "; ")));
        } catch (IOException e) {
            throw new InvalidConfigException(List.of(file + ":1:1: " + e.getMessage()));
        }
    }

    /** Records where each value starts; a mapping's or list's location is that of its first token. */
    private static void index(JsonParser p, Map<String, int[]> out) throws IOException {
        Deque<String> containers = new ArrayDeque<>();
        Deque<int[]> listIndex = new ArrayDeque<>(); // {next index, depth of the list}
        String field = null;
        int[] fieldLocation = null;
        JsonToken t;
        while ((t = p.nextToken()) != null) {
            if (t == JsonToken.FIELD_NAME) {
                field = p.currentName();
                fieldLocation = location(p.currentTokenLocation());
                continue;
            }
            if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                if (t == JsonToken.END_ARRAY) {
                    listIndex.pop();
                }
                containers.pop();
                field = null;
                continue;
            }
            String parent = containers.isEmpty() ? "" : containers.peek();
            String here;
            if (!listIndex.isEmpty() && listIndex.peek()[1] == containers.size() && field == null) {
                here = parent + "[" + listIndex.peek()[0]++ + "]";
            } else if (field != null) {
                here = parent.isEmpty() ? field : parent + "." + field;
            } else {
                here = parent;
            }
            // A scalar is located at its value; a nested mapping at its key, which is where a reader looks.
            int[] at = fieldLocation != null && (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY)
                    ? fieldLocation : location(p.currentTokenLocation());
            out.putIfAbsent(here, at);
            if (field != null && fieldLocation != null) {
                out.putIfAbsent(here + "#key", fieldLocation);
            }
            field = null;
            fieldLocation = null;
            if (t == JsonToken.START_OBJECT) {
                containers.push(here);
            } else if (t == JsonToken.START_ARRAY) {
                containers.push(here);
                listIndex.push(new int[] {0, containers.size()});
            }
        }
    }

    private static int[] location(JsonLocation l) {
        return new int[] {Math.max(1, l.getLineNr()), Math.max(1, l.getColumnNr())};
    }

    public String file() {
        return file;
    }

    public String text() {
        return text;
    }

    public JsonNode root() {
        return root;
    }

    /** The node at {@code path}, or a missing node. */
    public JsonNode at(String path) {
        JsonNode n = root;
        for (String part : path.split("\\.")) {
            if (part.isEmpty()) {
                continue;
            }
            int b = part.indexOf('[');
            String key = b < 0 ? part : part.substring(0, b);
            if (!key.isEmpty()) {
                n = n.path(key);
            }
            while (b >= 0) {
                int e = part.indexOf(']', b);
                n = n.path(Integer.parseInt(part.substring(b + 1, e)));
                b = part.indexOf('[', e);
            }
        }
        return n;
    }

    /** Where {@code path} is; for a path without a node of its own (a missing key), its nearest parent. */
    public ConfigLocation locate(String path) {
        for (String p = path; ; ) {
            int[] l = locations.get(p);
            if (l != null) {
                return new ConfigLocation(file, l[0], l[1]);
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            if (cut <= 0) {
                int[] top = locations.get(p.isEmpty() ? "" : p);
                int[] any = top != null ? top : locations.get("");
                return any == null ? new ConfigLocation(file, 1, 1) : new ConfigLocation(file, any[0], any[1]);
            }
            p = p.substring(0, cut);
        }
    }

    /** Where the key of {@code path} is written (for unknown-key messages); falls back to {@link #locate}. */
    public ConfigLocation locateKey(String path) {
        int[] l = locations.get(path + "#key");
        return l == null ? locate(path) : new ConfigLocation(file, l[0], l[1]);
    }
}
