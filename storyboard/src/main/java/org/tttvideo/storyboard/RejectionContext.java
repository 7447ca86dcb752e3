package org.tttvideo.storyboard;

/**
 * What one record's rejections share: the payload they carry, where it came from, and the video id
 * once the record has named one (so that a problem found after {@code videoId} was read is filed
 * under that id).
 */
final class RejectionContext {
  final Payload payload;
  final RecordSource source;
  String videoId = "";

  RejectionContext(Payload payload, RecordSource source) {
    this.payload = payload;
    this.source = source;
  }

  /** The rejection for a problem found in video {@code videoIndex} of the record. */
  Rejection reject(InvalidInput e, String knownId, int videoIndex) {
    String id = knownId.isEmpty() ? videoId : knownId;
    return new Rejection(e.code, e.field, e.getMessage(), id, videoIndex, payload, source);
  }

  /** The rejection for a bug in the parser: the record is kept so that it can be reported. */
  Rejection internalError(Throwable e, int videoIndex) {
    return new Rejection(
        RejectionCode.INTERNAL_ERROR,
        Rejection.ROOT,
        "validation failed unexpectedly ("
            + e.getClass().getName()
            + ": "
            + e.getMessage()
            + "); the record is kept here, please report it",
        videoId,
        videoIndex,
        payload,
        source);
  }
}
