package org.tttvideo.storyboard;

/**
 * A problem found while reading a record; the parser turns it into a {@link Rejection}. It is an
 * exception so that a check deep inside a format reader can stop the record in one statement, and
 * it carries no stack trace because it is expected, frequent and never logged as a failure.
 */
final class InvalidInput extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What is wrong, as the rejection's code. */
  final RejectionCode code;

  /** The field path ({@code segments[3].text}), or {@link Rejection#ROOT} for the whole record. */
  final String field;

  /**
   * @param code what is wrong
   * @param field the field path; {@code null} or empty means {@link Rejection#ROOT}
   * @param message what was found and what is allowed; {@code null} or blank falls back to the
   *     code's description
   */
  InvalidInput(RejectionCode code, String field, String message) {
    super(message == null || message.isBlank() ? code.description() : message, null, false, false);
    this.code = code;
    this.field = field == null || field.isEmpty() ? Rejection.ROOT : field;
  }
}
