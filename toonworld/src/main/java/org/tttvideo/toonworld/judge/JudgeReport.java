package org.tttvideo.toonworld.judge;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import org.tttvideo.toonworld.Action;
import org.tttvideo.toonworld.Room;
import org.tttvideo.toonworld.ToonColour;

/**
 * The judge's scores for one video: three axes in [0, 1] and the findings per segment.
 *
 * <ul>
 *   <li>{@code textFollowing}: matching items over judged items, summed over all segments (room,
 *       and colour and action of each character found; {@link SegmentReport#textItems()});
 *   <li>{@code consistency}: the share of segments whose room, wall and character colours are as in
 *       the first segment of their scene;
 *   <li>{@code presence}: the mean over segments of {@link SegmentReport#presence()}.
 * </ul>
 *
 * <p>{@link #toJson()} gives {@code {"overall": {"textFollowing": .., "consistency": ..,
 * "presence": ..}, "segments": [...]}}; {@link #table()} a table for people.
 *
 * @param segments one report per segment of the text, in order
 */
public record JudgeReport(List<SegmentReport> segments) {

  /** The three axes. */
  public record Overall(double textFollowing, double consistency, double presence) {}

  public JudgeReport {
    segments = List.copyOf(segments);
    if (segments.isEmpty()) {
      throw new IllegalArgumentException("segments: a report needs at least one segment");
    }
  }

  /** The three axes over the whole video. */
  public Overall overall() {
    int items = 0;
    int ok = 0;
    int consistent = 0;
    double presence = 0;
    for (SegmentReport s : segments) {
      items += s.textItems();
      ok += s.textOk();
      consistent += s.consistent() ? 1 : 0;
      presence += s.presence();
    }
    return new Overall(
        (double) ok / items, (double) consistent / segments.size(), presence / segments.size());
  }

  /** The report as one JSON object (field order fixed, names lower case). */
  public String toJson() {
    ObjectMapper m = new ObjectMapper();
    ObjectNode root = m.createObjectNode();
    Overall o = overall();
    ObjectNode overall = root.putObject("overall");
    overall.put("textFollowing", o.textFollowing());
    overall.put("consistency", o.consistency());
    overall.put("presence", o.presence());
    ArrayNode segs = root.putArray("segments");
    for (SegmentReport s : segments) {
      ObjectNode j = segs.addObject();
      j.put("segment", s.segment());
      j.put("scene", s.scene());
      j.put("room", s.room().word());
      j.put("measuredRoom", s.measuredRoom() == null ? null : s.measuredRoom().word());
      j.put("wall", s.wall().word());
      j.put("measuredWall", word(s.measuredWall()));
      j.put("roomOk", s.roomOk());
      j.put("validFrames", s.validFrames());
      j.put("frames", s.frames());
      ArrayNode cs = j.putArray("characters");
      for (CharacterReport c : s.characters()) {
        ObjectNode cj = cs.addObject();
        cj.put("who", c.who().word());
        cj.put("colour", c.expectedColour().word());
        cj.put("measuredColour", word(c.measuredColour()));
        cj.put("present", c.present());
        cj.put("action", describe(c.action()));
        cj.put("actionOk", c.actionOk());
        ArrayNode track = cj.putArray("track");
        for (int[] p : c.track()) {
          if (p == null) {
            track.addNull();
          } else {
            track.addArray().add(p[0]).add(p[1]);
          }
        }
      }
      j.put("consistent", s.consistent());
      j.put("textFollowing", s.textFollowing());
      j.put("presence", s.presence());
    }
    return root.toString();
  }

  /** A table: one row per segment and a last row with the three axes. */
  public String table() {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "%-4s %-5s %-12s %-7s %-4s %-34s %-34s %-6s %-5s %-5s%n",
            "seg",
            "scene",
            "room",
            "wall",
            "ok",
            "cat (colour, action)",
            "mouse (colour, action)",
            "frames",
            "text",
            "cons"));
    for (SegmentReport s : segments) {
      b.append(
          String.format(
              Locale.ROOT,
              "%-4d %-5d %-12s %-7s %-4s %-34s %-34s %-6s %-5.2f %-5s%n",
              s.segment(),
              s.scene(),
              s.measuredRoom() == null ? "?" : s.measuredRoom().word(),
              s.measuredWall() == null ? "?" : s.measuredWall().word(),
              s.roomOk() ? "yes" : "NO",
              cell(s, org.tttvideo.toonworld.Character.CAT),
              cell(s, org.tttvideo.toonworld.Character.MOUSE),
              s.validFrames() + "/" + s.frames(),
              s.textFollowing(),
              s.consistent() ? "yes" : "NO"));
    }
    Overall o = overall();
    b.append(
        String.format(
            Locale.ROOT,
            "textFollowing %.4f  consistency %.4f  presence %.4f%n",
            o.textFollowing(),
            o.consistency(),
            o.presence()));
    return b.toString();
  }

  private static String cell(SegmentReport s, org.tttvideo.toonworld.Character who) {
    for (CharacterReport c : s.characters()) {
      if (c.who() == who) {
        if (!c.present()) {
          return "MISSING (" + describe(c.action()) + ")";
        }
        // Present but never seen: a hider behind its piece all segment long has no colour.
        String colour =
            c.measuredColour() == null
                ? "unseen"
                : (c.colourOk() ? "" : "!") + c.measuredColour().word();
        return colour + ", " + describe(c.action()) + (c.actionOk() ? "" : " NO");
      }
    }
    return "-";
  }

  /** "walk right", "hide behind fridge", "sleep". */
  static String describe(Action a) {
    String s = a.kind().jsonName();
    if (a.direction() != null) {
      s += " " + a.direction().word();
    }
    if (a.target() != null) {
      s += " " + a.target().word();
    }
    return s;
  }

  private static String word(ToonColour c) {
    return c == null ? null : c.word();
  }

  private static String word(Room r) {
    return r == null ? null : r.word();
  }
}
