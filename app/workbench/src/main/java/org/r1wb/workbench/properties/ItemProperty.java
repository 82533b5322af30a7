package org.r1wb.workbench.properties;

/**
 * One row of the Properties window.
 *
 * @param group the section it is listed under ("File", "Run", "Model", …)
 * @param name  what it is
 * @param value its value, formatted for reading
 */
public record ItemProperty(String group, String name, String value) {
}
