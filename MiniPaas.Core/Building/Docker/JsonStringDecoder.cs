using System.Text;

namespace MiniPaas.Core.Building.Docker;

/// <summary>Receives decoded text in pieces.</summary>
internal interface ITextSink
{
    void Write(ReadOnlySpan<char> text);
}

/// <summary>
/// Decodes the inside of one JSON string (after its opening quote) from bytes that arrive in pieces, handing the text on as
/// it is decoded: a string of gigabytes never has to be held whole. Understands every escape JSON allows.
/// </summary>
internal sealed class JsonStringDecoder
{
    private readonly Decoder _utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false).GetDecoder();
    private readonly char[] _chars = new char[8192];
    private EscapeState _escape;
    private int _hexDigits;
    private int _codeUnit;

    private enum EscapeState
    {
        None,
        AfterBackslash,
        InUnicode,
    }

    /// <summary>True once the closing quote was read.</summary>
    public bool IsComplete { get; private set; }

    /// <summary>Starts a new string.</summary>
    public void Reset()
    {
        _utf8.Reset();
        _escape = EscapeState.None;
        _hexDigits = 0;
        _codeUnit = 0;
        IsComplete = false;
    }

    /// <summary>Decodes from <paramref name="bytes"/> into <paramref name="sink"/>; returns how many bytes belonged to the string.</summary>
    public int Feed(ReadOnlySpan<byte> bytes, ITextSink sink)
    {
        var used = 0;
        while (used < bytes.Length && !IsComplete)
        {
            if (_escape == EscapeState.None)
            {
                var rest = bytes[used..];
                var stop = rest.IndexOfAny((byte)'"', (byte)'\\');
                var run = stop < 0 ? rest : rest[..stop];
                Decode(run, sink);
                used += run.Length;
                if (stop < 0)
                {
                    break;
                }

                used++;
                if (rest[stop] == (byte)'"')
                {
                    IsComplete = true;
                }
                else
                {
                    _escape = EscapeState.AfterBackslash;
                }

                continue;
            }

            var b = bytes[used++];
            if (_escape == EscapeState.AfterBackslash)
            {
                if (b == (byte)'u')
                {
                    _escape = EscapeState.InUnicode;
                    _hexDigits = 0;
                    _codeUnit = 0;
                    continue;
                }

                _escape = EscapeState.None;
                Emit(b switch
                {
                    (byte)'n' => '\n',
                    (byte)'r' => '\r',
                    (byte)'t' => '\t',
                    (byte)'b' => '\b',
                    (byte)'f' => '\f',
                    _ => (char)b, // '"', '\\', '/' stand for themselves
                }, sink);
                continue;
            }

            _codeUnit = (_codeUnit << 4) | HexValue(b);
            if (++_hexDigits == 4)
            {
                _escape = EscapeState.None;
                // Surrogate pairs arrive as two escapes, one code unit each, and are passed on as such.
                Emit((char)_codeUnit, sink);
            }
        }

        return used;
    }

    private void Decode(ReadOnlySpan<byte> run, ITextSink sink)
    {
        while (!run.IsEmpty)
        {
            _utf8.Convert(run, _chars, flush: false, out var bytesUsed, out var charsUsed, out _);
            if (charsUsed > 0)
            {
                sink.Write(_chars.AsSpan(0, charsUsed));
            }

            run = run[bytesUsed..];
        }
    }

    private void Emit(char c, ITextSink sink)
    {
        _chars[0] = c;
        sink.Write(_chars.AsSpan(0, 1));
    }

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => 0xF, // not valid JSON; any value keeps the decoder in step, and U+FFFD-like junk is harmless in a log
    };
}
