package io.tickstream.generator.cli;

import java.net.URI;
import java.net.URISyntaxException;

/** Endpoint flags ({@code --kinesis-endpoint}, {@code --dynamodb-endpoint}, ...) as URLs. */
public final class Endpoints {
  private Endpoints() {}

  /**
   * {@code value} as an http(s) URL with a host, such as {@code http://127.0.0.1:4567}.
   *
   * @throws IllegalArgumentException saying what is wrong with it
   */
  public static URI httpUri(String value) {
    URI uri;
    try {
      uri = new URI(value.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("is not a URL: " + e.getReason());
    }
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
        || uri.getHost() == null) {
      throw new IllegalArgumentException("must be an http(s) URL such as http://127.0.0.1:4567");
    }
    if (uri.getPort() > 65535) {
      throw new IllegalArgumentException("has port " + uri.getPort() + ", above 65535");
    }
    return uri;
  }
}
