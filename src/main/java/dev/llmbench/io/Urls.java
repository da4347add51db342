package dev.llmbench.io;

/** URLs in messages: an API key given as a URL's user-info must never be printed. */
public final class Urls {
  private Urls() {}

  /**
   * The URL with its user-info, if any, shown as {@code ***}: {@code http://user:key@host/} becomes
   * {@code http://***@host/}, and {@code user:key@host} (no scheme) {@code ***@host}. An {@code @}
   * after the host (in the path) is left alone.
   */
  public static String hideCredentials(String url) {
    return url.replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://)?[^/@]*@", "$1***@");
  }
}
