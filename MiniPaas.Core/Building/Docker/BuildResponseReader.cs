using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace MiniPaas.Core.Building.Docker;

/// <summary>
/// Reads the build endpoint's response — JSON messages, one per line — in bounded chunks. The text of <c>stream</c> messages is
/// decoded as it arrives and never held whole; other messages are parsed when they fit in <see cref="MaxMessageBytes"/>.
/// Measured on this engine, a <c>RUN</c> printing without newlines arrives as ~32 KB messages, but one instruction joined from
/// many continuation lines is echoed in a single "Step" message of any size, and Docker.DotNet's progress overload
/// deserialises each message whole (an 8 MB instruction came through it as one 8 MB string, the heap 65 MB up): so MiniPaas
/// reads the stream itself.
/// </summary>
internal sealed class BuildResponseReader(BuildOutputReader output)
{
    /// <summary>Largest non-<c>stream</c> message parsed whole; a larger one is decoded as it arrives (errors) or skipped.</summary>
    public const int MaxMessageBytes = 1024 * 1024;

    private const int ChunkBytes = 64 * 1024;

    private readonly JsonStringDecoder _decoder = new();
    private readonly BoundedError _error = new();
    private byte[] _message = new byte[4096];
    private int _length;
    private State _state;
    private long _skippedBytes;

    private enum State
    {
        Collecting,
        InStreamText,
        InErrorText,
        Skipping,
    }

    // Go's encoder writes JSONMessage's fields in declaration order, so these are how such messages begin.
    private static ReadOnlySpan<byte> StreamPrefix => "{\"stream\":\""u8;

    private static ReadOnlySpan<byte> ErrorPrefix => "{\"errorDetail\":"u8;

    private static ReadOnlySpan<byte> MessageKey => "\"message\":\""u8;

    public async Task ReadAsync(Stream response, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(response);
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            int read;
            while ((read = await response.ReadAsync(buffer.AsMemory(0, ChunkBytes), ct).ConfigureAwait(false)) > 0)
            {
                Feed(buffer.AsSpan(0, read));
            }

            End();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Feeds the next bytes of the response.</summary>
    public void Feed(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            switch (_state)
            {
                case State.InStreamText:
                case State.InErrorText:
                    bytes = bytes[FeedString(bytes)..];
                    break;
                case State.Skipping:
                    var newline = bytes.IndexOf((byte)'\n');
                    if (newline < 0)
                    {
                        _skippedBytes += bytes.Length;
                        return;
                    }

                    _skippedBytes += newline;
                    bytes = bytes[(newline + 1)..];
                    EndSkipping();
                    break;
                default:
                    bytes = Collect(bytes);
                    break;
            }
        }
    }

    /// <summary>The response ended: handles a last message without its newline.</summary>
    public void End()
    {
        if (_state == State.Collecting && _length > 0)
        {
            CompleteMessage();
        }
        else if (_state == State.InErrorText)
        {
            output.AddError(_error.Text);
        }

        _state = State.Collecting;
        _length = 0;
        output.Flush();
    }

    private ReadOnlySpan<byte> Collect(ReadOnlySpan<byte> bytes)
    {
        if (_length < StreamPrefix.Length)
        {
            // Take only enough to decide whether this is a stream message, whose text is then decoded as it arrives.
            var take = bytes[..Math.Min(StreamPrefix.Length - _length, bytes.Length)];
            var newline = take.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                Append(take[..newline]);
                CompleteMessage();
                return bytes[(newline + 1)..];
            }

            Append(take);
            if (_length == StreamPrefix.Length && _message.AsSpan(0, _length).SequenceEqual(StreamPrefix))
            {
                _length = 0;
                _decoder.Reset();
                _state = State.InStreamText;
            }

            return bytes[take.Length..];
        }

        var end = bytes.IndexOf((byte)'\n');
        var piece = end < 0 ? bytes : bytes[..end];
        if (_length + piece.Length > MaxMessageBytes)
        {
            // Fill up to the cap first, so the message's start is there to be recognised.
            var fill = MaxMessageBytes - _length;
            Append(piece[..fill]);
            StartOversized();
            return bytes[fill..];
        }

        Append(piece);
        if (end < 0)
        {
            return [];
        }

        CompleteMessage();
        return bytes[(end + 1)..];
    }

    private void StartOversized()
    {
        var buffered = _message.AsSpan(0, _length);
        _length = 0;
        if (buffered.StartsWith(ErrorPrefix))
        {
            // An error can be long (it quotes the failed command: {"errorDetail":{"code":1,"message":"The command '…"); its
            // start is what explains the failure. Whatever it says, the build failed.
            var key = buffered.IndexOf(MessageKey);
            if (key < 0)
            {
                output.AddError(string.Create(CultureInfo.InvariantCulture, $"The engine reported an error longer than {MaxMessageBytes:N0} bytes that MiniPaas could not read."));
                _skippedBytes = 0;
                _state = State.Skipping;
                return;
            }

            _decoder.Reset();
            _error.Reset();
            _state = State.InErrorText;
            FeedString(buffered[(key + MessageKey.Length)..]);
            return;
        }

        _skippedBytes = buffered.Length;
        _state = State.Skipping;
    }

    private int FeedString(ReadOnlySpan<byte> bytes)
    {
        var used = _decoder.Feed(bytes, _state == State.InStreamText ? output : _error);
        if (_decoder.IsComplete)
        {
            if (_state == State.InErrorText)
            {
                output.AddError(_error.Text);
            }

            // The rest of the message (its closing brace, or fields after an error's message) carries nothing more to show.
            _skippedBytes = 0;
            _state = State.Skipping;
        }

        return used;
    }

    private void EndSkipping()
    {
        _state = State.Collecting;
        // Skipped after a decoded string: the message's closing brace and "\r". Anything much larger was a message not shown.
        if (_skippedBytes > 64)
        {
            output.AddNote(string.Create(CultureInfo.InvariantCulture, $"[MiniPaas skipped an engine message of {_skippedBytes:N0} bytes]"));
        }

        _skippedBytes = 0;
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (_length + bytes.Length > _message.Length)
        {
            Array.Resize(ref _message, Math.Min(MaxMessageBytes, Math.Max(_length + bytes.Length, _message.Length * 2)));
        }

        bytes.CopyTo(_message.AsSpan(_length));
        _length += bytes.Length;
    }

    private void CompleteMessage()
    {
        var json = _message.AsSpan(0, _length).TrimEnd("\r"u8).Trim(" \t"u8);
        _length = 0;
        if (json.IsEmpty)
        {
            return;
        }

        try
        {
            var reader = new Utf8JsonReader(json);
            using var message = JsonDocument.ParseValue(ref reader);
            var root = message.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            if (Text(root, "stream") is { Length: > 0 } stream)
            {
                output.Write(stream);
            }
            else if (Text(root, "status") is { Length: > 0 } status)
            {
                output.AddStatus(status, Text(root, "id"));
            }

            if (root.TryGetProperty("aux", out var aux) && aux.ValueKind == JsonValueKind.Object && Text(aux, "ID") is { Length: > 0 } id)
            {
                output.ImageId = id;
            }

            var error = root.TryGetProperty("errorDetail", out var detail) && detail.ValueKind == JsonValueKind.Object
                ? Text(detail, "message")
                : null;
            if (string.IsNullOrWhiteSpace(error))
            {
                error = Text(root, "error");
            }

            if (!string.IsNullOrWhiteSpace(error))
            {
                output.AddError(error);
            }
        }
        catch (JsonException)
        {
            output.AddNote(string.Create(CultureInfo.InvariantCulture, $"[MiniPaas skipped an unreadable engine message of {json.Length:N0} bytes]"));
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>The start of an oversized error's text; what is beyond it is not kept.</summary>
    private sealed class BoundedError : ITextSink
    {
        private const int Keep = 16 * 1024;
        private readonly System.Text.StringBuilder _text = new();

        public string Text => _text.ToString();

        public void Reset() => _text.Clear();

        public void Write(ReadOnlySpan<char> text) => _text.Append(text[..Math.Min(text.Length, Keep - _text.Length)]);
    }
}
