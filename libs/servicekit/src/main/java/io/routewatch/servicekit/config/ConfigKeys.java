package io.routewatch.servicekit.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import io.smallrye.config.WithParentName;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The {@code routewatch.*} keys a service reads, taken from its {@code @ConfigMapping} interfaces
 * by reflection as SmallRye names them (kebab-case methods, {@code @WithName},
 * {@code @WithParentName}, groups, {@code Optional}, maps as {@code *}, lists as {@code [*]}), and
 * the check of given keys against them, in property form ({@code routewatch.collector.bgp.port})
 * and in environment form ({@code ROUTEWATCH_COLLECTOR_BGP_PORT}, the MicroProfile Config rule).
 *
 * <p>Why: SmallRye ignores an environment variable or a key outside every mapping's prefix that no
 * mapping reads, so a misspelt chart key ({@code …bgp.asn} for {@code …bgp.local-asn}) was a silent
 * default. A service checks its own configuration at start ({@link ConfigKeyCheck}); the chart's
 * tests check every rendered ConfigMap with the same lists.
 */
public final class ConfigKeys {
  /** A key that no mapping of the service reads, and where it was found. */
  public record Unknown(String key, String source) {
    @Override
    public String toString() {
      return key + " (" + source + ")";
    }
  }

  private final Set<String> names = new TreeSet<>();
  private final List<Pattern> property = new ArrayList<>();
  private final List<Pattern> env = new ArrayList<>();
  private final Set<String> envPrefixes = new TreeSet<>();

  private ConfigKeys() {}

  /** The keys of these {@code @ConfigMapping} interfaces (each with its annotation's prefix). */
  public static ConfigKeys of(Collection<Class<?>> mappings) {
    return of(mappings, List.of());
  }

  /**
   * The keys of these mappings plus single keys read outside any mapping (system properties of the
   * codec library, which has no configuration framework).
   */
  public static ConfigKeys of(Collection<Class<?>> mappings, Collection<String> otherKeys) {
    ConfigKeys keys = new ConfigKeys();
    otherKeys.forEach(keys::add);
    for (Class<?> m : mappings) {
      ConfigMapping annotation = m.getAnnotation(ConfigMapping.class);
      if (annotation == null) {
        throw new IllegalArgumentException(m.getName() + " is not a @ConfigMapping interface");
      }
      String prefix = annotation.prefix();
      keys.envPrefixes.add(envForm(prefix) + "_");
      keys.walk(m, prefix);
    }
    return keys;
  }

  private void add(String name) {
    names.add(name);
    // SmallRye names a map key "*" and a list element "[*]"; a list may also be given whole.
    String bare = name.replace("[*]", "");
    StringBuilder p = new StringBuilder();
    StringBuilder e = new StringBuilder();
    for (String part : name.split("(?=\\[\\*])|(?<=\\[\\*])")) {
      if (part.equals("[*]")) {
        p.append("(\\[\\d+])?");
        e.append("(_\\d+_)?");
        continue;
      }
      String[] segments = part.split("\\.", -1);
      for (int i = 0; i < segments.length; i++) {
        if (i > 0) {
          p.append("\\.");
          e.append('_');
        }
        String s = segments[i];
        if (s.equals("*")) {
          p.append("(\"[^\"]+\"|[^.]+)");
          e.append("[A-Z0-9_]+?");
        } else if (!s.isEmpty()) {
          p.append(Pattern.quote(s));
          e.append(Pattern.quote(envForm(s)));
        }
      }
    }
    property.add(Pattern.compile(p.toString()));
    env.add(Pattern.compile(e.toString()));
    if (!bare.equals(name)) {
      property.add(Pattern.compile(Pattern.quote(bare)));
    }
  }

  /** Adds the names of a mapping interface (or group) under a prefix. */
  private void walk(Class<?> type, String prefix) {
    for (Method m : type.getMethods()) {
      if (m.getParameterCount() != 0
          || m.isDefault()
          || Modifier.isStatic(m.getModifiers())
          || m.getDeclaringClass() == Object.class
          || m.getName().equals("toString")) {
        continue;
      }
      String name;
      if (m.isAnnotationPresent(WithParentName.class)) {
        name = prefix;
      } else if (m.isAnnotationPresent(WithName.class)) {
        name = prefix + "." + m.getAnnotation(WithName.class).value();
      } else {
        name = prefix + "." + kebab(m.getName());
      }
      value(m.getGenericReturnType(), name);
    }
  }

  private void value(Type type, String name) {
    if (type instanceof ParameterizedType p) {
      Class<?> raw = (Class<?>) p.getRawType();
      Type[] args = p.getActualTypeArguments();
      if (raw == Optional.class) {
        value(args[0], name);
      } else if (Map.class.isAssignableFrom(raw)) {
        value(args[1], name + ".*");
      } else if (Collection.class.isAssignableFrom(raw)) {
        if (group(args[0])) {
          walk((Class<?>) args[0], name + "[*]");
        } else {
          add(name + "[*]");
        }
      } else {
        add(name);
      }
    } else if (group(type)) {
      walk((Class<?>) type, name);
    } else {
      add(name);
    }
  }

  /** A nested config group: an interface of ours, not a JDK type. */
  private static boolean group(Type type) {
    return type instanceof Class<?> c && c.isInterface() && !c.getName().startsWith("java.");
  }

  private static String kebab(String method) {
    return method.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
  }

  /** The declared names, SmallRye's spelling ({@code *} a map key, {@code [*]} a list element). */
  public Set<String> names() {
    return names;
  }

  /** Whether a key in property form is read by a mapping ({@code %profile.} prefixes ignored). */
  public boolean knowsProperty(String key) {
    String k = stripProfile(key);
    return property.stream().anyMatch(p -> p.matcher(k).matches());
  }

  /** Whether a key in environment form is read by a mapping. */
  public boolean knowsEnv(String key) {
    String k = stripProfile(key).toUpperCase(Locale.ROOT);
    return env.stream().anyMatch(p -> p.matcher(k).matches());
  }

  /**
   * Whether an environment variable is in a namespace this service owns (the env form of a mapping
   * prefix, e.g. {@code ROUTEWATCH_COLLECTOR_}). Others ({@code ROUTEWATCH_SCENARIO} for make run,
   * another service's keys in a shared environment) are not this service's to judge.
   */
  public boolean ownsEnv(String key) {
    String k = stripProfile(key).toUpperCase(Locale.ROOT);
    return envPrefixes.stream().anyMatch(k::startsWith);
  }

  /**
   * Checks a key as found in a configuration source: property form for {@code routewatch.*},
   * environment form for {@code ROUTEWATCH_*} in a namespace this service owns; anything else is
   * not a routewatch key and passes.
   */
  public boolean accepts(String key) {
    String k = stripProfile(key);
    if (k.startsWith("routewatch.")) {
      return knowsProperty(k);
    }
    if (k.startsWith("ROUTEWATCH_") && ownsEnv(k)) {
      return knowsEnv(k);
    }
    return true;
  }

  /** The unknown keys among {@code key → source} pairs, sorted. */
  public List<Unknown> unknown(Map<String, String> keyToSource) {
    List<Unknown> out = new ArrayList<>();
    new TreeSet<>(keyToSource.keySet())
        .forEach(
            k -> {
              if (!accepts(k)) {
                out.add(new Unknown(k, keyToSource.get(k)));
              }
            });
    return out;
  }

  /** The closest declared name, to say "did you mean". */
  public String closest(String key) {
    String k = stripProfile(key).toLowerCase(Locale.ROOT).replace('_', '.');
    // a declared name whose last segment ends with the given one (bgp.asn -> bgp.local-asn)
    int lastDot = k.lastIndexOf('.');
    String parent = k.substring(0, Math.max(lastDot, 0));
    String last = k.substring(lastDot + 1);
    for (String n : names) {
      String flat = n.replace('-', '.');
      if (flat.startsWith(parent + ".") && n.endsWith("-" + last)) {
        return n;
      }
    }
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String n : names) {
      int d = distance(k, n.replace('-', '.'));
      if (d < bestDistance) {
        bestDistance = d;
        best = n;
      }
    }
    return best;
  }

  /** The MicroProfile Config environment form: non-alphanumerics become _, upper case. */
  public static String envForm(String property) {
    return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
  }

  private static String stripProfile(String key) {
    if (key.startsWith("%")) {
      int dot = key.indexOf('.');
      return dot < 0 ? key : key.substring(dot + 1);
    }
    if (key.startsWith("_")
        && key.indexOf("_", 1) > 0) { // env form of a profile: _TEST_ROUTEWATCH_…
      int i = key.indexOf("_ROUTEWATCH_");
      return i > 0 ? key.substring(i + 1) : key;
    }
    return key;
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
