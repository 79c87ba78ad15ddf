using System.Text;

namespace MiniPaas.Core.Logs;

/// <summary>
/// Assembles text that arrives in arbitrary pieces into lines while holding at most <c>keepLength</c> characters of one line:
/// a line without an end (one <c>RUN</c> printing gigabytes without a newline) keeps its start and only counts the rest.
/// </summary>
/// <param name="keepLength">Characters kept of one line; callers keep a margin beyond their visible cut so masking sees whole secrets.</param>
/// <param name="onLine">Receives each completed line (without its terminator) and how many characters of it were not kept.</param>
/// <param name="splitOnCarriageReturn">Also end a line at '\r' (git redraws progress with it); "\r\n" still ends one line.</param>
public sealed class BoundedLineAssembler(int keepLength, Action<string, long> onLine, bool splitOnCarriageReturn = false)
{
    private readonly StringBuilder _line = new();
    private long _cut;
    private bool _afterCarriageReturn;

    public void Append(ReadOnlySpan<char> text)
    {
        while (!text.IsEmpty)
        {
            if (_afterCarriageReturn && text[0] == '\n')
            {
                text = text[1..];
                _afterCarriageReturn = false;
                continue;
            }

            _afterCarriageReturn = false;
            var end = splitOnCarriageReturn ? text.IndexOfAny('\r', '\n') : text.IndexOf('\n');
            var piece = end < 0 ? text : text[..end];
            Keep(piece);
            if (end < 0)
            {
                return;
            }

            _afterCarriageReturn = text[end] == '\r';
            Complete();
            text = text[(end + 1)..];
        }
    }

    /// <summary>Emits the unterminated rest, if any (the output ended without a final newline).</summary>
    public void Flush()
    {
        if (_line.Length > 0 || _cut > 0)
        {
            Complete();
        }
    }

    private void Keep(ReadOnlySpan<char> piece)
    {
        var room = Math.Max(0, keepLength - _line.Length);
        if (piece.Length <= room)
        {
            _line.Append(piece);
            return;
        }

        _line.Append(piece[..room]);
        _cut += piece.Length - room;
    }

    private void Complete()
    {
        // A "\r\n" ending split by '\n' alone leaves the '\r' behind.
        var length = _line.Length > 0 && _line[^1] == '\r' && _cut == 0 ? _line.Length - 1 : _line.Length;
        var text = _line.ToString(0, length);
        var cut = _cut;
        _line.Clear();
        _cut = 0;
        onLine(text, cut);
    }
}
