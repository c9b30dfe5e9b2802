package io.tasker.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;
import org.junit.jupiter.api.Test;

class DependencyGraphTest {
  /** A diamond written out of order: the join is listed before its branches. */
  private static final DependencyGraph DIAMOND =
      DependencyGraph.of(
          graph(
              "join", List.of("left", "right"),
              "start", List.of(),
              "right", List.of("start"),
              "left", List.of("start"),
              "audit", List.of()));

  @Test
  void ordersParentsFirstAndOtherwiseByTemplateOrder() {
    assertThat(DIAMOND.topologicalOrder())
        .containsExactly("start", "right", "left", "join", "audit");
  }

  @Test
  void knowsParentsChildrenRootsAndLeaves() {
    assertThat(DIAMOND.parents("join")).containsExactly("left", "right");
    assertThat(DIAMOND.children("start")).containsExactly("right", "left");
    assertThat(DIAMOND.children("join")).isEmpty();
    assertThat(DIAMOND.roots()).containsExactly("start", "audit");
    assertThat(DIAMOND.leaves()).containsExactly("join", "audit");
    assertThat(DIAMOND.descendants("start")).containsExactly("right", "left", "join");
    assertThat(DIAMOND.descendants("audit")).isEmpty();
  }

  @Test
  void refusesUnknownStepsAndCycles() {
    assertThatThrownBy(() -> DIAMOND.parents("nope"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown step 'nope'");
    assertThatThrownBy(() -> DependencyGraph.of(graph("a", List.of("ghost"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("step 'a': unknown step 'ghost'");
    assertThatThrownBy(
            () ->
                DependencyGraph.of(graph("a", List.of("b"), "b", List.of("c"), "c", List.of("a"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cycle a -> b -> c -> a");
  }

  @Test
  void findsTheShortestCycleThroughEachComponent() {
    var cycles =
        DependencyGraph.cycles(
            graph(
                "a", List.of("b", "d"),
                "b", List.of("c"),
                "c", List.of("a"),
                "d", List.of("a"),
                "e", List.of("e"),
                "f", List.of("a")));

    assertThat(cycles).containsExactlyInAnyOrder(List.of("a", "d", "a"), List.of("e", "e"));
  }

  @Test
  void isBuiltFromATemplate() {
    TaskTemplate t = Templates.parse(Templates.MINIMAL);

    assertThat(t.graph().topologicalOrder()).containsExactly("only");
    assertThat(t.graph().roots()).containsExactly("only");
  }

  private static SequencedMap<String, List<String>> graph(Object... namesAndDependencies) {
    SequencedMap<String, List<String>> graph = new LinkedHashMap<>();
    for (int i = 0; i < namesAndDependencies.length; i += 2) {
      @SuppressWarnings("unchecked")
      List<String> deps = (List<String>) namesAndDependencies[i + 1];
      graph.put((String) namesAndDependencies[i], deps);
    }
    return graph;
  }
}
