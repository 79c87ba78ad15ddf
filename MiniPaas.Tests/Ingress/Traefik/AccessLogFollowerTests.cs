using System.Text;
using MiniPaas.Core.Ingress.Traefik;

namespace MiniPaas.Tests.Ingress.Traefik;

/// <summary>The follower on real files: appends, partial lines, rotation by rename, copytruncate, restart with a saved offset.</summary>
public sealed class AccessLogFollowerTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "minipaas-accesslog-" + Guid.NewGuid().ToString("N")[..8]);

    public AccessLogFollowerTests() => Directory.CreateDirectory(_folder);

    private string LogPath => Path.Combine(_folder, "access.json");

    private string StatePath => Path.Combine(_folder, "state", "access-log.state");

    // Distinct first lines, as Traefik's are (timestamps, client ports).
    private static string Line(int n) => $$"""{"ClientHost":"10.0.0.{{n % 250}}","n":{{n}},"StartUTC":"2026-11-26T01:00:{{n % 60:00}}.{{n:000000000}}Z"}""";

    private void Append(params int[] numbers) =>
        File.AppendAllText(LogPath, string.Concat(numbers.Select(n => Line(n) + "\n")));

    private static int[] Numbers(IEnumerable<string> lines) =>
        [.. lines.Select(l => int.Parse(l.Split("\"n\":")[1].Split(',')[0], System.Globalization.CultureInfo.InvariantCulture))];

    [Fact]
    public void ReadNewLines_Appends_ReturnsEachLineOnce()
    {
        using var follower = new AccessLogFollower(LogPath, StatePath);
        Assert.Empty(follower.ReadNewLines()); // no file yet

        Append(1, 2);
        Assert.Equal([1, 2], Numbers(follower.ReadNewLines()));
        Assert.Empty(follower.ReadNewLines());
        Append(3);
        Assert.Equal([3], Numbers(follower.ReadNewLines()));
    }

    [Fact]
    public void ReadNewLines_LineWithoutNewlineYet_WaitsForTheRest()
    {
        using var follower = new AccessLogFollower(LogPath, StatePath);
        Append(1);
        var half = Line(2)[..20];
        File.AppendAllText(LogPath, half);

        Assert.Equal([1], Numbers(follower.ReadNewLines()));
        Assert.Empty(follower.ReadNewLines());

        File.AppendAllText(LogPath, Line(2)[20..] + "\n");
        Assert.Equal([2], Numbers(follower.ReadNewLines()));
    }

    [Fact]
    public void ReadNewLines_RotatedByRename_DrainsOldFileThenReadsNewFromStart()
    {
        using var follower = new AccessLogFollower(LogPath, StatePath);
        Append(1, 2);
        Assert.Equal([1, 2], Numbers(follower.ReadNewLines()));

        // Traefik still writes to the old handle until it reopens (USR1): line 3 lands in the renamed file.
        Append(3);
        File.Move(LogPath, LogPath + ".1");
        File.AppendAllText(LogPath + ".1", Line(4) + "\n");
        Assert.Equal([3, 4], Numbers(follower.ReadNewLines())); // new file not there yet: the old handle is drained

        Append(10, 11); // the new file appears
        File.AppendAllText(LogPath + ".1", Line(5) + "\n");
        Assert.Equal([5, 10, 11], Numbers(follower.ReadNewLines()));
        Append(12);
        Assert.Equal([12], Numbers(follower.ReadNewLines()));
    }

    [Fact]
    public void ReadNewLines_NewFileLongerThanOldOffset_IsStillSeenAsNew()
    {
        using var follower = new AccessLogFollower(LogPath, StatePath);
        Append(1);
        Assert.Equal([1], Numbers(follower.ReadNewLines()));

        File.Move(LogPath, LogPath + ".1");
        Append(20, 21, 22, 23); // grew past the old offset before the next poll

        Assert.Equal([20, 21, 22, 23], Numbers(follower.ReadNewLines()));
    }

    [Fact]
    public void ReadNewLines_CopyTruncate_RestartsAtZero()
    {
        using var follower = new AccessLogFollower(LogPath, StatePath);
        Append(1, 2, 3);
        Assert.Equal([1, 2, 3], Numbers(follower.ReadNewLines()));

        using (new FileStream(LogPath, FileMode.Truncate, FileAccess.Write, FileShare.ReadWrite))
        {
        }

        Append(7);
        Assert.Equal([7], Numbers(follower.ReadNewLines()));
    }

    [Fact]
    public void SaveState_Restart_ResumesAfterLastReturnedLine()
    {
        using (var first = new AccessLogFollower(LogPath, StatePath))
        {
            Append(1, 2);
            Assert.Equal([1, 2], Numbers(first.ReadNewLines()));
            first.SaveState();
        }

        Append(3, 4); // written while MiniPaas was down

        using var second = new AccessLogFollower(LogPath, StatePath);
        Assert.Equal([3, 4], Numbers(second.ReadNewLines()));
        Assert.Equal(new FileInfo(LogPath).Length, second.Offset);
    }

    [Fact]
    public void SaveState_RotatedWhileDown_StartsNewFileFromZero()
    {
        using (var first = new AccessLogFollower(LogPath, StatePath))
        {
            Append(1, 2, 3, 4, 5);
            Assert.Equal(5, first.ReadNewLines().Count);
            first.SaveState();
        }

        File.Move(LogPath, LogPath + ".1");
        Append(30, 31, 32, 33, 34, 35, 36); // longer than the saved offset, but another file

        using var second = new AccessLogFollower(LogPath, StatePath);
        Assert.Equal([30, 31, 32, 33, 34, 35, 36], Numbers(second.ReadNewLines()));
    }

    [Fact]
    public void ReadNewLines_MultiByteCharactersAcrossBufferBoundary_DecodeIntact()
    {
        using var follower = new AccessLogFollower(LogPath, StatePath);
        var ua = new string('é', 40_000); // 80 KB of two-byte characters spans the 64 KB read buffer
        File.AppendAllText(LogPath, $$"""{"request_User-Agent":"{{ua}}"}""" + "\n", Encoding.UTF8);

        var line = Assert.Single(follower.ReadNewLines());
        Assert.Contains(ua, line, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
