using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using MiniPaas.Core.Git;

namespace MiniPaas.Tests.Git;

/// <summary>Clones end at their time and size limits, with git stopped and a message naming the limit.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CloneLimitsTests : IClassFixture<LocalGitRepository>
{
    private readonly LocalGitRepository _repo;

    public CloneLimitsTests(LocalGitRepository repo) => _repo = repo;

    [Fact]
    public async Task CloneAsync_RepositoryLargerThanTheLimit_TooLargeNamingTheLimit()
    {
        var origin = Path.Combine(_repo.Root, "large-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(origin);
        await LocalGitRepository.RunGitAsync(origin, "init", "--quiet", "--initial-branch", "main");
        // Random bytes do not compress: the pack and the working tree take ~3 MiB each.
        await File.WriteAllBytesAsync(Path.Combine(origin, "blob.bin"), RandomBytes(3 << 20));
        await LocalGitRepository.RunGitAsync(origin, "add", "blob.bin");
        await LocalGitRepository.RunGitAsync(origin, "commit", "--quiet", "-m", "big");
        var client = new CliGitClient(NullLogger<CliGitClient>.Instance) { MaxCloneBytes = 1 << 20 };

        var ex = await Assert.ThrowsAsync<GitException>(
            () => client.CloneAsync(new Uri(origin).AbsoluteUri, "main", null, _repo.NewCloneTarget(), null, null));

        Assert.Equal(GitFailure.TooLarge, ex.Failure);
        Assert.EndsWith("the repository is larger than the 1 MiB limit (MiniPaas:Builder:MaxCloneBytes).", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CloneAsync_CheckoutGrowsPastTheLimitWhileGitRuns_GitStoppedAndTooLarge()
    {
        // A stand-in for git that writes 3 MB into the checkout and then never ends: only the size watch can stop it.
        var fakeGit = Path.Combine(_repo.Root, "fake-git-" + Guid.NewGuid().ToString("N")[..8]);
        await File.WriteAllTextAsync(fakeGit, """
            #!/bin/sh
            for target; do :; done
            mkdir -p "$target"
            head -c 3000000 /dev/zero > "$target/blob"
            exec sleep 600
            """.ReplaceLineEndings("\n"));
        File.SetUnixFileMode(fakeGit, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite);
        var client = new CliGitClient(NullLogger<CliGitClient>.Instance)
        {
            GitExecutable = fakeGit,
            MaxCloneBytes = 1 << 20,
            SizeCheckInterval = TimeSpan.FromMilliseconds(100),
        };

        var ex = await Assert.ThrowsAsync<GitException>(
            () => client.CloneAsync(new Uri(_repo.RepoPath).AbsoluteUri, "main", null, _repo.NewCloneTarget(), null, null));

        Assert.Equal(GitFailure.TooLarge, ex.Failure);
        Assert.Contains("(MiniPaas:Builder:MaxCloneBytes)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CloneAsync_ServerNeverAnswers_TimedOutNamingTheLimit()
    {
        using var server = new SilentServer();
        var client = new CliGitClient(NullLogger<CliGitClient>.Instance) { CloneTimeout = TimeSpan.FromSeconds(2) };

        var ex = await Assert.ThrowsAsync<GitException>(
            () => client.CloneAsync($"http://127.0.0.1:{server.Port}/repo.git", "main", null, _repo.NewCloneTarget(), null, null));

        Assert.Equal(GitFailure.TimedOut, ex.Failure);
        Assert.Equal($"git stopped: http://127.0.0.1:{server.Port}/repo.git did not answer within the 2 s limit (MiniPaas:Builder:CloneTimeout).", ex.Message);
        Assert.True(server.Accepted > 0);
    }

    [Fact]
    public async Task GetRemoteHeadAsync_ServerNeverAnswers_TimedOut()
    {
        using var server = new SilentServer();
        var client = new CliGitClient(NullLogger<CliGitClient>.Instance) { CloneTimeout = TimeSpan.FromSeconds(2) };

        var ex = await Assert.ThrowsAsync<GitException>(
            () => client.GetRemoteHeadAsync($"http://127.0.0.1:{server.Port}/repo.git", "main", null));

        Assert.Equal(GitFailure.TimedOut, ex.Failure);
    }

    [Fact]
    public async Task CloneAsync_CallerCancels_StillOperationCanceledNotALimit()
    {
        using var server = new SilentServer();
        var client = new CliGitClient(NullLogger<CliGitClient>.Instance) { CloneTimeout = TimeSpan.FromMinutes(5) };
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => client.CloneAsync($"http://127.0.0.1:{server.Port}/repo.git", "main", null, _repo.NewCloneTarget(), null, null, cts.Token));
    }

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    /// <summary>Accepts connections on loopback and never answers (a git host that stalls).</summary>
    private sealed class SilentServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly List<Socket> _held = [];
        private int _accepted;

        public SilentServer()
        {
            _listener.Start();
            _ = AcceptAsync();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public int Accepted => Volatile.Read(ref _accepted);

        public void Dispose()
        {
            _listener.Stop();
            lock (_held)
            {
                foreach (var socket in _held)
                {
                    socket.Dispose();
                }
            }
        }

        private async Task AcceptAsync()
        {
            try
            {
                while (true)
                {
                    var socket = await _listener.AcceptSocketAsync();
                    Interlocked.Increment(ref _accepted);
                    lock (_held)
                    {
                        _held.Add(socket);
                    }
                }
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                // Stopped.
            }
        }
    }
}
