using System.Text;
using MiniPaas.Core.Building;
using MiniPaas.Core.Building.Docker;

namespace MiniPaas.Tests.Building;

/// <summary>The build endpoint's JSON messages read in bounded chunks (no engine: the bytes are the engine's wire format).</summary>
public sealed class BuildResponseReaderTests
{
    private const int MaxLine = 1024;

    private readonly List<BuildOutputLine> _lines = [];
    private readonly BuildOutputReader _output;

    public BuildResponseReaderTests() => _output = new BuildOutputReader(new SynchronousProgress<BuildOutputLine>(_lines.Add), MaxLine);

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4096)]
    public void Feed_MessagesInAnyChunking_SameLinesInOrder(int chunk)
    {
        var wire = Encoding.UTF8.GetBytes(
            "{\"stream\":\"Step 1/2 : FROM busybox\\n\"}\r\n"
            + "{\"stream\":\" ---\\u003e 1a2b\\n\"}\r\n"
            + "{\"stream\":\"par\"}\r\n{\"stream\":\"tial\\r\\nsecond \\\"quoted\\\" \\\\ tab\\there\\n\"}\r\n"
            + "{\"stream\":\"caf\u00e9 \\u00e9t\\u00e9 \ud83d\ude00 \\ud83d\\ude00\\n\"}\r\n"
            + "{\"status\":\"Pulling fs layer\",\"progressDetail\":{},\"id\":\"abc\"}\r\n"
            + "{\"aux\":{\"ID\":\"sha256:0de0\"}}\r\n"
            + "{\"stream\":\"Successfully built 0de0\\n\"}\r\n");
        var reader = new BuildResponseReader(_output);

        foreach (var piece in wire.Chunk(chunk))
        {
            reader.Feed(piece);
        }

        reader.End();

        Assert.Equal(
            ["Step 1/2 : FROM busybox", " ---> 1a2b", "partial", "second \"quoted\" \\ tab\there", "café été 😀 😀", "abc: Pulling fs layer", "Successfully built 0de0"],
            _lines.Select(l => l.Text));
        Assert.All(_lines, l => Assert.Equal(0, l.CutCharacters));
        Assert.Null(_output.Error);
    }

    [Fact]
    public void Feed_ErrorMessage_FailureNamesStepErrorAndLastOutput()
    {
        var reader = new BuildResponseReader(_output);
        reader.Feed(Encoding.UTF8.GetBytes(
            "{\"stream\":\"Step 2/3 : RUN npm ci\\n\"}\r\n{\"stream\":\"npm ERR! missing script\\n\"}\r\n"
            + "{\"errorDetail\":{\"code\":3,\"message\":\"The command returned a non-zero code: 3\"},\"error\":\"The command returned a non-zero code: 3\"}\r\n"));
        reader.End();

        Assert.Equal("The command returned a non-zero code: 3", _output.Error);
        Assert.True(_lines[^1].IsError);
        Assert.Equal("Step 2/3 `RUN npm ci` failed: The command returned a non-zero code: 3 Last output: npm ERR! missing script", _output.DescribeFailure());
    }

    [Fact]
    public async Task ReadAsync_TwoGigabyteStreamMessageWithoutNewline_OneCutLineAndTheHeapStaysFlat()
    {
        // One stream message of 2 GiB: what a single engine message could carry (a Step line joined from continuation lines).
        const long size = 2L << 30;
        var heap = new HeapWatch();
        var output = new BuildOutputReader(new SynchronousProgress<BuildOutputLine>(line => { heap.Sample(); _lines.Add(line); }), MaxLine);
        await using var response = new GeneratedResponse(
            "{\"stream\":\"Step 1/1 : RUN x"u8.ToArray(), (byte)'a', size, "\\nafter\\n\"}\r\n{\"stream\":\"next\\n\"}\r\n"u8.ToArray(), heap);

        await new BuildResponseReader(output).ReadAsync(response, CancellationToken.None);

        Assert.Equal(3, _lines.Count);
        Assert.StartsWith("Step 1/1 : RUN xaaaa", _lines[0].Text, StringComparison.Ordinal);
        // The reader keeps the visible cut plus a masking margin, and counts every character it did not keep.
        Assert.Equal(size + "Step 1/1 : RUN x".Length, _lines[0].Text.Length + _lines[0].CutCharacters);
        Assert.True(_lines[0].Text.Length <= MaxLine + 256, $"kept {_lines[0].Text.Length}");
        Assert.Equal(["after", "next"], _lines.Skip(1).Select(l => l.Text));
        Assert.True(heap.Growth < 100L << 20, $"managed heap grew by {heap.Growth:N0} bytes while reading 2 GiB");
    }

    [Fact]
    public void Feed_ErrorMessageLargerThanTheMessageCap_ErrorKeptBoundedAndBuildFails()
    {
        var reader = new BuildResponseReader(_output);
        var huge = new string('x', BuildResponseReader.MaxMessageBytes * 2);
        // The engine's own shape: the code before the message.
        reader.Feed(Encoding.UTF8.GetBytes($"{{\"errorDetail\":{{\"code\":1,\"message\":\"The command '{huge}' returned a non-zero code: 1\"}},\"error\":\"same\"}}\r\n{{\"stream\":\"later\\n\"}}\r\n"));
        reader.End();

        Assert.NotNull(_output.Error);
        Assert.StartsWith("The command 'xxx", _output.Error, StringComparison.Ordinal);
        Assert.True(_output.Error.Length <= MaxLine + 1, $"error of {_output.Error.Length} characters");
        Assert.True(_output.DescribeFailure().Length < 4_000);
        Assert.Equal("later", _lines[^1].Text);
    }

    [Fact]
    public void Feed_OversizedErrorWithoutAMessage_StillAnError()
    {
        var reader = new BuildResponseReader(_output);
        var huge = new string('z', BuildResponseReader.MaxMessageBytes + 10);
        reader.Feed(Encoding.UTF8.GetBytes($"{{\"errorDetail\":{{\"code\":1,\"other\":\"{huge}\"}}}}\r\n"));
        reader.End();

        Assert.Equal("The engine reported an error longer than 1,048,576 bytes that MiniPaas could not read.", _output.Error);
    }

    [Fact]
    public void Feed_AuxMessage_RemembersTheImageId()
    {
        var reader = new BuildResponseReader(_output);
        reader.Feed("{\"aux\":{\"ID\":\"sha256:0de0e38f\"}}\r\n"u8);
        reader.End();

        Assert.Equal("sha256:0de0e38f", _output.ImageId);
        Assert.Empty(_lines);
    }

    [Fact]
    public void Feed_OtherMessageLargerThanTheMessageCap_SkippedWithANote()
    {
        var reader = new BuildResponseReader(_output);
        var huge = new string('y', BuildResponseReader.MaxMessageBytes + 10);
        reader.Feed(Encoding.UTF8.GetBytes($"{{\"status\":\"{huge}\"}}\r\n{{\"stream\":\"later\\n\"}}\r\n"));
        reader.End();

        Assert.Equal(2, _lines.Count);
        Assert.Matches(@"^\[MiniPaas skipped an engine message of [\d,]+ bytes\]$", _lines[0].Text);
        Assert.Equal("later", _lines[1].Text);
        Assert.Null(_output.Error);
    }

    [Fact]
    public void Feed_UnreadableMessage_SkippedWithANoteAndReadingGoesOn()
    {
        var reader = new BuildResponseReader(_output);
        reader.Feed("{\"status\": nope}\r\n{\"stream\":\"fine\\n\"}\r\n"u8);
        reader.End();

        Assert.Equal(["[MiniPaas skipped an unreadable engine message of 16 bytes]", "fine"], _lines.Select(l => l.Text));
    }

    /// <summary>Largest managed heap seen (sampled on every line and every read) against the heap at the start.</summary>
    private sealed class HeapWatch
    {
        private readonly long _start = GC.GetTotalMemory(forceFullCollection: true);
        private long _peak;

        public long Growth => Math.Max(0, Interlocked.Read(ref _peak) - _start);

        public void Sample()
        {
            var now = GC.GetTotalMemory(forceFullCollection: false);
            if (now > Interlocked.Read(ref _peak))
            {
                Interlocked.Exchange(ref _peak, now);
            }
        }
    }

    /// <summary>A response of <c>head + fill × size + tail</c>, generated as it is read (never in memory).</summary>
    private sealed class GeneratedResponse(byte[] head, byte fill, long size, byte[] tail, HeapWatch heap) : Stream
    {
        private long _position;
        private long Length_ => head.Length + size + tail.Length;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => Length_;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            // Every few megabytes: the heap is sampled while the long line is being read, not only when a line completes.
            if (_position % (8 << 20) < buffer.Length)
            {
                heap.Sample();
            }

            var written = 0;
            while (written < buffer.Length && _position < Length_)
            {
                if (_position < head.Length)
                {
                    buffer[written++] = head[_position++];
                }
                else if (_position < head.Length + size)
                {
                    var run = (int)Math.Min(buffer.Length - written, head.Length + size - _position);
                    buffer.Slice(written, run).Fill(fill);
                    written += run;
                    _position += run;
                }
                else
                {
                    buffer[written++] = tail[_position++ - head.Length - size];
                }
            }

            return written;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer, offset, count));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
