using CliWrap;
using CliWrap.Buffered;

namespace MiniPaas.Tests.Checkouts;

/// <summary>
/// A throwaway checkout with a sibling folder "outside" it, so links can leave the checkout towards files whose content
/// the tests know (and must never see).
/// </summary>
internal sealed class CheckoutFolder : IDisposable
{
    private readonly string _parent = Path.Combine(Path.GetTempPath(), "minipaas-checkout-" + Guid.NewGuid().ToString("N")[..10]);

    public CheckoutFolder()
    {
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(Outside);
    }

    public string Root => Path.Combine(_parent, "checkout");

    /// <summary>A folder beside the checkout: reachable with <c>../outside</c> from its root.</summary>
    public string Outside => Path.Combine(_parent, "outside");

    public CheckoutFolder File(string relative, string content)
    {
        var full = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        System.IO.File.WriteAllText(full, content);
        return this;
    }

    public CheckoutFolder Folder(string relative)
    {
        Directory.CreateDirectory(Path.Combine(Root, relative));
        return this;
    }

    /// <summary>Creates the link <paramref name="relative"/> whose text is <paramref name="target"/>, as written.</summary>
    public CheckoutFolder Link(string relative, string target)
    {
        var full = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        System.IO.File.CreateSymbolicLink(full, target);
        return this;
    }

    /// <summary>Writes a file outside the checkout and returns its absolute path.</summary>
    public string OutsideFile(string name, string content)
    {
        var full = Path.Combine(Outside, name);
        System.IO.File.WriteAllText(full, content);
        return full;
    }

    /// <summary>Runs a host tool (mkfifo, mknod) on a path inside the checkout.</summary>
    public async Task<CheckoutFolder> RunAsync(string tool, params string[] args)
    {
        var result = await Cli.Wrap(tool).WithArguments(args).WithWorkingDirectory(Root).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
        Assert.True(result.ExitCode == 0, $"{tool} failed: {result.StandardError}");
        return this;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_parent, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder must not fail a test.
        }
    }
}
