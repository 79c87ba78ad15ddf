using System.Text;

namespace MiniPaas.Core.Logs;

/// <summary>
/// Turns the bytes of one output stream (as the engine sends them with <c>timestamps=true</c>: each line prefixed with its
/// RFC 3339 time and a space) into complete lines. Chunks may hold several or partial lines; invalid UTF-8 becomes U+FFFD;
/// a line longer than the cap keeps only its start and counts what was left out.
/// </summary>
public sealed class TimestampedLineSplitter(bool isStderr, int maxLineLength)
{
    // Masking happens on the kept text, so keep a margin beyond the cut: a secret straddling the cut is still masked whole.
    private readonly int _keepLimit = maxLineLength + 256;
    private readonly Decoder _decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false).GetDecoder();
    private readonly StringBuilder _line = new();
    private char[] _chars = new char[4096];
    private int _cut;

    /// <summary>Feeds <paramref name="bytes"/>; adds every line they complete to <paramref name="completed"/>.</summary>
    public void Feed(ReadOnlySpan<byte> bytes, List<RawLogLine> completed)
    {
        ArgumentNullException.ThrowIfNull(completed);
        var needed = _decoder.GetCharCount(bytes, flush: false);
        if (needed > _chars.Length)
        {
            _chars = new char[Math.Max(needed, _chars.Length * 2)];
        }

        var count = _decoder.GetChars(bytes, _chars, flush: false);
        var span = _chars.AsSpan(0, count);
        while (!span.IsEmpty)
        {
            var newline = span.IndexOf('\n');
            var piece = newline < 0 ? span : span[..newline];
            Append(piece);
            if (newline < 0)
            {
                break;
            }

            completed.Add(Complete());
            span = span[(newline + 1)..];
        }
    }

    /// <summary>The unterminated rest, if any (the stream ended without a final newline).</summary>
    public RawLogLine? Flush() => _line.Length > 0 || _cut > 0 ? Complete() : null;

    private void Append(ReadOnlySpan<char> piece)
    {
        var room = _keepLimit - _line.Length;
        if (piece.Length <= room)
        {
            _line.Append(piece);
        }
        else
        {
            _line.Append(piece[..Math.Max(0, room)]);
            _cut += piece.Length - Math.Max(0, room);
        }
    }

    private RawLogLine Complete()
    {
        var text = _line.Length > 0 && _line[^1] == '\r' ? _line.ToString(0, _line.Length - 1) : _line.ToString();
        var cut = _cut;
        _line.Clear();
        _cut = 0;
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        if (space > 0 && EngineTimestamp.TryParse(text.AsSpan(0, space), out var timestamp))
        {
            return new RawLogLine(timestamp, isStderr, text[(space + 1)..], cut);
        }

        // Without a timestamp (not expected from the engine) the line is kept; it sorts as "now" for resume purposes.
        return new RawLogLine(default, isStderr, text, cut);
    }
}
