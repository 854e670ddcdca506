package io.tickstream.cli;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** What a pipeline flag's value is, in {@code --help}: {@code --dedup-window=DURATION}. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@interface ParamLabel {
  /** The value's name, e.g. {@code DURATION} or {@code URL}. */
  String value();

  String DURATION = "DURATION";
  String URL = "URL";
}
