package io.github.llmestimator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Rules of the exported API, read from the compiled classes: every exported type is immutable, and the packages of
 * core depend on each other without a cycle. (That every architecture is known to both importers is checked beside
 * the config.json importer, in catalog-data.)
 */
final class ArchitectureTest {

    private static final Path CLASSES = Path.of("target/classes");
    private static final String ROOT = "io/github/llmestimator";

    /**
     * Exported interfaces that callers may implement, so that they cannot be sealed; an interface has no fields, so
     * being open does not make any instance of the library's own types mutable.
     */
    private static final Map<String, String> OPEN_INTERFACES = Map.of(
            "io.github.llmestimator.quant.QualityModel",
            "a caller's own KL-divergence measurements or rule; the contract asks implementations to be immutable",
            "io.github.llmestimator.model.ModelSpecSource",
            "the catalog's presets implement it from another module, which a sealed type cannot permit");

    /** Exported types that are mutable by design, and why that is safe. */
    private static final Map<String, String> MUTABLE_TYPES = Map.of(
            "io.github.llmestimator.hardware.Device$Builder",
            "a builder: one caller fills it on one thread, and build() copies it into an immutable Device",
            "io.github.llmestimator.model.ModelSpec$Builder",
            "a builder: one caller fills it on one thread, and build() copies it into an immutable ModelSpec");

    /** Fields that are not final, and why their object is still immutable as seen from outside. */
    private static final Map<String, String> LAZY_FIELDS = Map.of(
            "io.github.llmestimator.quant.QuantizedWeights.assignments",
            "a volatile cache of the per-tensor types, worked out on first use; every thread that fills it computes"
                    + " the same immutable list from final fields",
            "io.github.llmestimator.Estimator.placed",
            "a cache of the placement, worked out on first use from final fields; every thread that fills it finds an"
                    + " equal PlacedWeights, whose fields are final, so a thread that reads it without a fence sees it"
                    + " whole or null",
            "io.github.llmestimator.throughput.DeploymentEstimate.usages",
            "the per-device usages, made on first request from final fields; every thread that makes them makes an"
                    + " equal immutable list of records, so a thread that reads it without a fence sees it whole or"
                    + " null",
            "io.github.llmestimator.hardware.Device.hash",
            "the hash code, worked out on first use as String does: an int is written whole, and every thread that"
                    + " fills it computes the same value from final fields");

    @Test
    void exportedTypesAreImmutable() throws IOException, ClassNotFoundException {
        List<String> problems = new ArrayList<>();
        for (Class<?> type : exportedTypes()) {
            String name = type.getName();
            if (MUTABLE_TYPES.containsKey(name)) {
                continue;
            }
            if (type.isInterface() && !type.isAnnotation()) {
                if (!type.isSealed() && !OPEN_INTERFACES.containsKey(name)) {
                    problems.add(name + ": an open interface (expected: sealed, or listed in OPEN_INTERFACES with why)");
                }
            } else if (!type.isEnum() && !type.isRecord() && !type.isAnnotation()
                    && !Modifier.isFinal(type.getModifiers()) && !type.isSealed()) {
                problems.add(name + ": can be subclassed (expected: a final class, a record, an enum or sealed)");
            }
            for (Field field : type.getDeclaredFields()) {
                if (!Modifier.isFinal(field.getModifiers()) && !field.isSynthetic()
                        && !LAZY_FIELDS.containsKey(name + "." + field.getName())) {
                    problems.add(name + "." + field.getName() + ": not final");
                }
            }
            for (Method method : type.getDeclaredMethods()) {
                if (Modifier.isPublic(method.getModifiers()) && !Modifier.isStatic(method.getModifiers())
                        && method.getName().matches("set[A-Z].*")) {
                    problems.add(name + "." + method.getName() + ": a setter");
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    /** Each exception above is still needed: a stale entry would hide a type that later becomes mutable. */
    @Test
    void exceptionsAreStillNeeded() throws IOException, ClassNotFoundException, NoSuchFieldException {
        Set<String> exported = new TreeSet<>();
        for (Class<?> type : exportedTypes()) {
            exported.add(type.getName());
        }
        for (String name : OPEN_INTERFACES.keySet()) {
            assertTrue(exported.contains(name), name + " is listed as an open interface but is not exported");
            assertTrue(!Class.forName(name).isSealed(), name + " is listed as an open interface but is sealed");
        }
        for (String name : MUTABLE_TYPES.keySet()) {
            assertTrue(exported.contains(name), name + " is listed as mutable but is not exported");
        }
        for (String name : LAZY_FIELDS.keySet()) {
            int dot = name.lastIndexOf('.');
            Field field = Class.forName(name.substring(0, dot)).getDeclaredField(name.substring(dot + 1));
            assertTrue(!Modifier.isFinal(field.getModifiers()), name + " is listed as lazy but is final");
        }
    }

    @Test
    void packagesHaveNoCycle() throws IOException {
        Map<String, Map<String, String>> edges = packageDependencies();
        List<String> cycles = new ArrayList<>();
        for (List<String> component : stronglyConnected(edges)) {
            if (component.size() > 1) {
                StringBuilder why = new StringBuilder(String.join(" <-> ", component)).append(':');
                for (String from : component) {
                    for (String to : component) {
                        String example = edges.getOrDefault(from, Map.of()).get(to);
                        if (example != null) {
                            why.append(' ').append(example).append(';');
                        }
                    }
                }
                cycles.add(why.toString());
            }
        }
        assertEquals(List.of(), cycles);
    }

    /** The checker itself: a cycle of three packages is found, a chain of three is not. */
    @Test
    void cycleFinderFindsCycles() {
        Map<String, Map<String, String>> cycle = Map.of("a", Map.of("b", ""), "b", Map.of("c", ""),
                "c", Map.of("a", ""));
        assertEquals(List.of(3), stronglyConnected(cycle).stream().map(List::size).filter(n -> n > 1).toList());
        Map<String, Map<String, String>> chain = Map.of("a", Map.of("b", ""), "b", Map.of("c", ""));
        assertEquals(List.of(), stronglyConnected(chain).stream().map(List::size).filter(n -> n > 1).toList());
    }

    /** An internal package stands for the exported one it serves; the shared internal package for itself. */
    @Test
    void internalPackagesStandForThePackagesTheyServe() {
        assertEquals("io.github.llmestimator.memory", servedPackage("io.github.llmestimator.internal.memory"));
        assertEquals("io.github.llmestimator.internal", servedPackage("io.github.llmestimator.internal"));
        assertEquals("io.github.llmestimator.model", servedPackage("io.github.llmestimator.model"));
    }

    // ---- reading the compiled classes ------------------------------------------------------------------------

    private static List<Class<?>> exportedTypes() throws IOException, ClassNotFoundException {
        Set<String> exports = new TreeSet<>();
        try (InputStream in = Files.newInputStream(CLASSES.resolve("module-info.class"))) {
            ModuleDescriptor.read(in).exports().forEach(e -> exports.add(e.source()));
        }
        List<Class<?>> types = new ArrayList<>();
        for (Path file : classFiles()) {
            String className = className(file);
            String packageName = className.substring(0, className.lastIndexOf('.'));
            if (!exports.contains(packageName) || className.endsWith("package-info")) {
                continue;
            }
            Class<?> type = Class.forName(className, false, ArchitectureTest.class.getClassLoader());
            if (isExported(type)) {
                types.add(type);
            }
        }
        assertTrue(types.size() > 50, "found only " + types.size() + " exported types in " + CLASSES);
        return types;
    }

    /** A public type whose enclosing types are public too: one a caller can name. */
    private static boolean isExported(Class<?> type) {
        for (Class<?> t = type; t != null; t = t.getEnclosingClass()) {
            if (!Modifier.isPublic(t.getModifiers()) || t.isAnonymousClass() || t.isLocalClass()) {
                return false;
            }
        }
        return true;
    }

    private static List<Path> classFiles() throws IOException {
        try (Stream<Path> files = Files.walk(CLASSES.resolve(ROOT))) {
            return files.filter(f -> f.toString().endsWith(".class")).sorted().toList();
        }
    }

    private static String className(Path file) {
        String relative = CLASSES.relativize(file).toString().replace('\\', '/');
        return relative.substring(0, relative.length() - ".class".length()).replace('/', '.');
    }

    /**
     * Package to package, each edge with one class that makes it, read from every constant pool. A package under
     * {@code internal.} counts as the exported package of the same name that it implements ({@code internal.memory} as
     * {@code memory}): it is split out only so that the module does not export it, and an exported type and the
     * internal code behind it call each other both ways. The shared {@code internal} package itself stays a package of
     * its own, below every other.
     */
    private static Map<String, Map<String, String>> packageDependencies() throws IOException {
        Pattern reference = Pattern.compile(ROOT + "(/[a-z0-9_]+)*/[A-Z][A-Za-z0-9_$]*");
        Map<String, Map<String, String>> edges = new TreeMap<>();
        for (Path file : classFiles()) {
            String className = className(file);
            String from = servedPackage(className.substring(0, className.lastIndexOf('.')));
            for (String text : utf8Constants(file)) {
                Matcher m = reference.matcher(text);
                while (m.find()) {
                    String target = m.group().replace('/', '.');
                    String to = servedPackage(target.substring(0, target.lastIndexOf('.')));
                    if (!to.equals(from)) {
                        edges.computeIfAbsent(from, k -> new TreeMap<>())
                                .putIfAbsent(to, className + " -> " + target);
                    }
                }
            }
        }
        return edges;
    }

    /** The package a package stands for in the dependency graph: itself, or the one an internal package serves. */
    private static String servedPackage(String packageName) {
        String internal = ROOT.replace('/', '.') + ".internal.";
        return packageName.startsWith(internal)
                ? ROOT.replace('/', '.') + "." + packageName.substring(internal.length()) : packageName;
    }

    /**
     * The UTF-8 entries of a class file's constant pool: they hold every class name, descriptor and generic signature
     * the class refers to (JVMS 4.4).
     */
    private static List<String> utf8Constants(Path file) throws IOException {
        List<String> texts = new ArrayList<>();
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            in.readInt();
            in.readUnsignedShort();
            in.readUnsignedShort();
            int count = in.readUnsignedShort();
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> texts.add(in.readUTF());
                    case 7, 8, 16, 19, 20 -> in.readUnsignedShort();
                    case 15 -> {
                        in.readUnsignedByte();
                        in.readUnsignedShort();
                    }
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> in.readInt();
                    case 5, 6 -> {
                        in.readLong();
                        i++;
                    }
                    default -> throw new IOException(file + ": constant pool tag " + tag + " at entry " + i);
                }
            }
        }
        return texts;
    }

    /** Tarjan's strongly connected components, visiting nodes in sorted order so that reports are stable. */
    private static List<List<String>> stronglyConnected(Map<String, Map<String, String>> edges) {
        Set<String> nodes = new TreeSet<>(edges.keySet());
        edges.values().forEach(targets -> nodes.addAll(targets.keySet()));
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<List<String>> components = new ArrayList<>();
        int[] counter = {0};
        for (String node : nodes) {
            if (!index.containsKey(node)) {
                strongConnect(node, edges, index, low, stack, onStack, components, counter);
            }
        }
        return components;
    }

    private static void strongConnect(String node, Map<String, Map<String, String>> edges, Map<String, Integer> index,
            Map<String, Integer> low, Deque<String> stack, Set<String> onStack, List<List<String>> components,
            int[] counter) {
        index.put(node, counter[0]);
        low.put(node, counter[0]);
        counter[0]++;
        stack.push(node);
        onStack.add(node);
        for (String next : new TreeSet<>(edges.getOrDefault(node, Map.of()).keySet())) {
            if (!index.containsKey(next)) {
                strongConnect(next, edges, index, low, stack, onStack, components, counter);
                low.put(node, Math.min(low.get(node), low.get(next)));
            } else if (onStack.contains(next)) {
                low.put(node, Math.min(low.get(node), index.get(next)));
            }
        }
        if (low.get(node).equals(index.get(node))) {
            List<String> component = new ArrayList<>();
            String member;
            do {
                member = stack.pop();
                onStack.remove(member);
                component.add(member);
            } while (!member.equals(node));
            component.sort(null);
            components.add(component);
        }
    }
}
