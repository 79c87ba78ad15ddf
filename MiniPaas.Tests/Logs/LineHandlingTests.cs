using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MiniPaas.Core.Logs;

namespace MiniPaas.Tests.Logs;

public class LineHandlingTests
{
    [Theory]
    [InlineData("""{"level":"error","msg":"boom"}""", false, "error")]
    [InlineData("""{"level":50,"msg":"pino error"}""", false, "error")]
    [InlineData("""{"severity":"WARNING","message":"x"}""", true, "warn")]
    [InlineData("""{"level":"info","msg":"stderr but info"}""", true, "info")]
    [InlineData("2026-11-26 00:01:02 ERROR Something failed", false, "error")]
    [InlineData("[warn] disk almost full", false, "warn")]
    [InlineData("time=now level=debug msg=hi", false, "debug")]
    [InlineData("INFO:root:started", true, "info")]
    [InlineData("\u001b[31mFATAL\u001b[0m out of memory", false, "fatal")]
    [InlineData("plain line on stderr", true, "error")]
    [InlineData("plain line on stdout", false, null)]
    [InlineData("GET /search?q=an+error+happened 200 (the word appears, but late in the line, well past where level markers live)", false, null)]
    public void Detect_Line_FindsStatedLevelAndUsesStderrOnlyAsHint(string text, bool isStderr, string? expected) =>
        Assert.Equal(expected, LogLevels.Detect(text, isStderr));

    [Fact]
    public void Strip_ColourAndHyperlink_LeavesText()
    {
        var text = "\u001b[1;32mok\u001b[0m \u001b]8;;https://example.com\u001b\\link\u001b]8;;\u001b\\ done";
        Assert.Equal("ok link done", Ansi.Strip(text));
    }

    [Fact]
    public void EngineTimestamp_NanosecondText_ParsesAndFormatsSince()
    {
        Assert.True(EngineTimestamp.TryParse("2026-11-26T00:49:43.123456789Z", out var timestamp));
        Assert.Equal("1795654183.123456789", timestamp.ToSinceParameter());
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 0, 49, 43, TimeSpan.Zero).AddTicks(1_234_560), timestamp.StoredValue);
        Assert.True(EngineTimestamp.TryParse("2026-11-26T00:49:43Z", out var whole));
        Assert.Equal("1795654183.000000000", whole.ToSinceParameter());
        Assert.False(EngineTimestamp.TryParse("not a time", out _));
    }

    [Fact]
    public void Splitter_PartialFramesAndInvalidUtf8_YieldsCompleteLenientLines()
    {
        var splitter = new TimestampedLineSplitter(isStderr: false, maxLineLength: 1024);
        var lines = new List<RawLogLine>();
        var bytes = Encoding.UTF8.GetBytes("2026-11-26T00:00:00.000000001Z héllo\n2026-11-26T00:00:00.000000002Z bad ");
        splitter.Feed(bytes.AsSpan(0, 20), lines);
        Assert.Empty(lines);
        splitter.Feed(bytes.AsSpan(20), lines);
        splitter.Feed([0xFF, 0xFE, (byte)'\r', (byte)'\n'], lines);
        Assert.Equal(2, lines.Count);
        Assert.Equal("héllo", lines[0].Text);
        Assert.Equal("bad \uFFFD\uFFFD", lines[1].Text);
        Assert.Equal(2, lines[1].Timestamp.UnixNanoseconds % 1000);
    }

    [Fact]
    public void Shape_LongLineWithSecret_MasksThenCutsWithMarker()
    {
        var masker = new SecretMasker(["hunter2-secret", "abc"]);
        var raw = "token=hunter2-secret abc " + new string('x', 40_000);
        var shaped = LogLineShaper.Shape(raw, masker, 16 * 1024);
        Assert.StartsWith("token=*** abc ", shaped, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", shaped, StringComparison.Ordinal);
        Assert.Contains("[line cut: ", shaped, StringComparison.Ordinal);
        Assert.True(shaped.Length < (16 * 1024) + 64);
    }

    [Fact]
    public void Shape_NulCharacter_IsReplaced() =>
        Assert.Equal("a\uFFFDb", LogLineShaper.Shape("a\0b", SecretMasker.None, 100));

    [Fact]
    public void Masker_OverlappingValues_MasksLongestFirst()
    {
        var masker = new SecretMasker(["passwd", "passwd-123456"]);
        Assert.Equal("*** and ***", masker.Apply("passwd-123456 and passwd"));
    }

    [Theory]
    [InlineData("12345", false)]
    [InlineData("abc", false)]
    [InlineData("", false)]
    [InlineData("123456", true)]
    [InlineData("hunter2", true)]
    public void Masker_ValueLength_OnlySixCharactersOrMoreMasked(string value, bool masked)
    {
        var masker = new SecretMasker([value]);

        Assert.Equal(masked ? "x *** y" : $"x {value} y", masker.Apply($"x {value} y"));
        Assert.Equal(!masked, SecretMasker.IsTooShort(value));
    }

    [Fact]
    public void Masker_OnlySecretValuesGiven_PlainTextWithTheSameDigitsUntouched()
    {
        // LINES=20000 is a plain setting: its value never reaches the masker, so the log line stays readable.
        var masker = new SecretMasker(["tok-abcdef-123"]);

        Assert.Equal("line 20000 of burst, token ***", masker.Apply("line 20000 of burst, token tok-abcdef-123"));
    }

    [Fact]
    public async Task MaskerCache_VariableChangedAfterDeploy_OldAndNewValuesStayMasked()
    {
        var time = new FakeTimeProvider();
        var secrets = new MiniPaas.Tests.Shared.Fakes.FixedSecretValues();
        secrets.Set(7, "first-value");
        var cache = new SecretMaskerCache(secrets, time);
        Assert.Equal("*** x", (await cache.GetAsync(7, 70)).Apply("first-value x"));

        secrets.Set(7, "second-value");
        time.Advance(TimeSpan.FromMinutes(1));
        var masker = await cache.GetAsync(7, 70);
        Assert.Equal("*** ***", masker.Apply("first-value second-value"));
    }

    [Fact]
    public void ResumePosition_ReattachAtSameMicrosecond_SkipsOnlyLinesAlreadySeen()
    {
        var t1 = new EngineTimestamp(1_000_000_000_000);
        var t2 = new EngineTimestamp(1_000_000_001_000);
        var position = new ResumePosition();
        position.BeginAttach();
        Assert.True(position.Accept(t1));
        Assert.True(position.Accept(t2));
        Assert.True(position.Accept(new EngineTimestamp(t2.UnixNanoseconds + 5)));

        // The engine sends from "since" inclusive: t2 twice (already seen), then a third line at the same microsecond, then later ones.
        Assert.Equal(t2, position.Since);
        position.BeginAttach();
        Assert.False(position.Accept(t1));
        Assert.False(position.Accept(t2));
        Assert.False(position.Accept(new EngineTimestamp(t2.UnixNanoseconds + 5)));
        Assert.True(position.Accept(new EngineTimestamp(t2.UnixNanoseconds + 9)));
        Assert.True(position.Accept(new EngineTimestamp(t2.UnixNanoseconds + 2_000)));
    }

    [Fact]
    public void ResumePosition_StderrLineStampedBeforeThePreviousStdoutLine_IsKeptAndDoesNotMoveTheResumePoint()
    {
        var position = new ResumePosition();
        position.BeginAttach();
        Assert.True(position.Accept(new EngineTimestamp(2_000_000)));
        Assert.True(position.Accept(new EngineTimestamp(1_990_000)));
        Assert.True(position.Accept(new EngineTimestamp(2_010_000)));
        Assert.Equal(new EngineTimestamp(2_010_000), position.Since);

        position.BeginAttach();
        Assert.False(position.Accept(new EngineTimestamp(2_010_000)));
        Assert.True(position.Accept(new EngineTimestamp(2_020_000)));
        Assert.True(position.Accept(new EngineTimestamp(2_015_000)));
    }

    [Fact]
    public void ResumePosition_FromStoredPoint_SkipsStoredLines()
    {
        var stored = new ResumePoint(new EngineTimestamp(5_000), LinesAtLast: 2);
        var position = new ResumePosition(stored);
        position.BeginAttach();
        Assert.False(position.Accept(new EngineTimestamp(5_001)));
        Assert.False(position.Accept(new EngineTimestamp(5_002)));
        Assert.True(position.Accept(new EngineTimestamp(5_003)));
    }

    [Fact]
    public void RateLimiter_Flood_DropsOverBurstAndRefillsWithTime()
    {
        var time = new FakeTimeProvider();
        var limiter = new IngestionRateLimiter(Options.Create(new LogsOptions { RateLimitLinesPerSecond = 100, RateLimitBurst = 200 }), time);
        var accepted = Enumerable.Range(0, 1_000).Count(_ => limiter.TryAcquire(1));
        Assert.Equal(200, accepted);
        Assert.True(limiter.TryAcquire(2), "another project has its own bucket");
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(100, Enumerable.Range(0, 1_000).Count(_ => limiter.TryAcquire(1)));
    }

    [Fact]
    public void Validator_BadValues_ReportsEveryProblem()
    {
        var result = new LogsOptionsValidator().Validate(null, new LogsOptions { RateLimitLinesPerSecond = 0, MaxLineLength = 1, FlushInterval = TimeSpan.Zero });
        Assert.True(result.Failed);
        Assert.Equal(3, result.Failures!.Count());
    }
}
