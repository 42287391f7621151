package io.forceflux.architecture;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The public API of a set of classes as stable text: one line per public type, then one indented line per public or
 * protected member, all sorted. Generic types are written out; annotations are not (a change of nullness shows in
 * the javadoc, not here). Internal packages ({@code ..internal..}) are not API and are left out.
 */
final class ApiSignatures {
  private ApiSignatures() {}

  /** Whether {@code javaClass} is API: public, in a non-internal package, and reachable (every enclosing type too). */
  static boolean isApi(JavaClass javaClass) {
    if (javaClass.getPackageName().contains(".internal") || javaClass.isAnonymousClass()
        || javaClass.isLocalClass()) {
      return false;
    }
    boolean visible = javaClass.getModifiers().contains(JavaModifier.PUBLIC)
        || (javaClass.getModifiers().contains(JavaModifier.PROTECTED)
            && javaClass.getEnclosingClass().map(e -> !e.getModifiers().contains(JavaModifier.FINAL)).orElse(false));
    return visible && javaClass.getEnclosingClass().map(ApiSignatures::isApi).orElse(true);
  }

  /** The API text of the given types, one type after another in name order. */
  static String describe(List<JavaClass> types) {
    List<String> blocks = new ArrayList<>();
    types.stream().filter(ApiSignatures::isApi).map(JavaClass::reflect)
        .sorted((a, b) -> a.getName().compareTo(b.getName()))
        .forEach(type -> blocks.add(describe(type)));
    return String.join("\n", blocks);
  }

  private static String describe(Class<?> type) {
    StringBuilder sb = new StringBuilder(header(type)).append('\n');
    boolean extendable = !Modifier.isFinal(type.getModifiers()) && !type.isEnum() && !type.isRecord();
    List<String> members = new ArrayList<>();
    for (Field f : type.getDeclaredFields()) {
      if (visible(f.getModifiers(), extendable) && !f.isSynthetic()) {
        members.add(modifiers(f.getModifiers()) + name(f.getGenericType()) + " " + f.getName());
      }
    }
    for (Constructor<?> c : type.getDeclaredConstructors()) {
      if (visible(c.getModifiers(), extendable) && !c.isSynthetic()) {
        members.add(modifiers(c.getModifiers()) + type.getSimpleName() + parameters(c));
      }
    }
    for (Method m : type.getDeclaredMethods()) {
      if (visible(m.getModifiers(), extendable) && !m.isSynthetic() && !m.isBridge()) {
        String mods = modifiers(m.getModifiers() & ~(type.isInterface() && !m.isDefault() ? Modifier.ABSTRACT : 0))
            + (m.isDefault() ? "default " : "");
        members.add(mods + typeParameters(m) + name(m.getGenericReturnType()) + " " + m.getName() + parameters(m));
      }
    }
    members.stream().sorted().forEach(line -> sb.append("  ").append(line).append('\n'));
    return sb.toString();
  }

  private static String header(Class<?> type) {
    String kind = type.isAnnotation() ? "@interface" : type.isInterface() ? "interface" : type.isEnum() ? "enum"
        : type.isRecord() ? "record" : "class";
    int mods = type.getModifiers() & Modifier.classModifiers();
    if (type.isInterface() || type.isEnum() || type.isRecord()) {
      mods &= ~(Modifier.ABSTRACT | Modifier.FINAL | Modifier.STATIC);
    }
    StringBuilder sb = new StringBuilder(modifiers(mods)).append(type.isSealed() ? "sealed " : "")
        .append(kind).append(' ').append(type.getName());
    if (type.getTypeParameters().length > 0) {
      sb.append(Arrays.stream(type.getTypeParameters()).map(ApiSignatures::name)
          .collect(Collectors.joining(", ", "<", ">")));
    }
    Type superclass = type.getGenericSuperclass();
    if (superclass != null && superclass != Object.class && !type.isEnum() && !type.isRecord()) {
      sb.append(" extends ").append(name(superclass));
    }
    List<String> interfaces = Arrays.stream(type.getGenericInterfaces()).map(ApiSignatures::name).sorted().toList();
    if (!interfaces.isEmpty()) {
      sb.append(type.isInterface() ? " extends " : " implements ").append(String.join(", ", interfaces));
    }
    return sb.toString();
  }

  private static boolean visible(int modifiers, boolean extendable) {
    return Modifier.isPublic(modifiers) || (extendable && Modifier.isProtected(modifiers));
  }

  private static String modifiers(int modifiers) {
    String text = Modifier.toString(modifiers & ~(Modifier.TRANSIENT | Modifier.VOLATILE | Modifier.SYNCHRONIZED
        | Modifier.NATIVE | Modifier.STRICT));
    return text.isEmpty() ? "" : text + " ";
  }

  private static String typeParameters(Method m) {
    return m.getTypeParameters().length == 0 ? "" : Arrays.stream(m.getTypeParameters())
        .map(ApiSignatures::boundedName).collect(Collectors.joining(", ", "<", "> "));
  }

  private static String boundedName(java.lang.reflect.TypeVariable<?> variable) {
    List<String> bounds = Arrays.stream(variable.getBounds()).filter(b -> b != Object.class)
        .map(ApiSignatures::name).toList();
    return variable.getName() + (bounds.isEmpty() ? "" : " extends " + String.join(" & ", bounds));
  }

  private static String parameters(Executable e) {
    String params = Arrays.stream(e.getGenericParameterTypes()).map(ApiSignatures::name)
        .collect(Collectors.joining(", ", "(", ")"));
    if (e.isVarArgs()) {
      params = params.substring(0, params.length() - 3) + "...)";
    }
    List<String> exceptions = Arrays.stream(e.getGenericExceptionTypes()).map(ApiSignatures::name).sorted().toList();
    return params + (exceptions.isEmpty() ? "" : " throws " + String.join(", ", exceptions));
  }

  private static String name(Type type) {
    // Nested classes as Outer.Inner, not Outer$Inner, so that the text reads like the source.
    return type instanceof java.lang.reflect.TypeVariable<?> v ? v.getName() : type.getTypeName().replace('$', '.');
  }

  /**
   * An API type must not take, return or expose a type of an internal package in a public or protected member:
   * that would make the internal type part of the API after all.
   */
  static ArchCondition<JavaClass> notExposeInternalTypes() {
    return new ArchCondition<>("not expose internal types in public or protected members") {
      @Override
      public void check(JavaClass javaClass, ConditionEvents events) {
        if (!isApi(javaClass)) {
          return;
        }
        for (JavaMember member : javaClass.getMembers()) {
          boolean visible = member.getModifiers().contains(JavaModifier.PUBLIC)
              || member.getModifiers().contains(JavaModifier.PROTECTED);
          if (!visible) {
            continue;
          }
          Set<JavaClass> involved = new HashSet<>();
          if (member instanceof JavaField field) {
            involved.addAll(field.getType().getAllInvolvedRawTypes());
          } else if (member instanceof JavaCodeUnit unit) {
            involved.addAll(unit.getReturnType().getAllInvolvedRawTypes());
            unit.getParameterTypes().forEach(t -> involved.addAll(t.getAllInvolvedRawTypes()));
            unit.getExceptionTypes().forEach(t -> involved.addAll(t.getAllInvolvedRawTypes()));
          }
          involved.stream().filter(t -> t.getPackageName().contains(".internal"))
              .forEach(t -> events.add(SimpleConditionEvent.violated(member,
                  member.getFullName() + " exposes " + t.getName())));
        }
      }
    };
  }
}
