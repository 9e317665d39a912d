package io.routewatch.alert.rule;

/** The Alertmanager annotations of an alert: a one-line summary and the numbers behind it. */
public record Annotations(String summary, String description) {}
