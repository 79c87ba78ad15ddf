using System.Text;
using System.Text.RegularExpressions;

namespace MiniPaas.Core.Variables;

/// <summary>The outcome of checking a key or a value: an error refuses it, warnings let it through with an explanation.</summary>
public sealed record VariableCheck(string? Error, IReadOnlyList<string> Warnings)
{
    public static readonly VariableCheck Ok = new(null, []);

    public bool IsValid => Error is null;
}

/// <summary>What a variable key and value may be. Keys are what POSIX shells accept as names; values are stored verbatim.</summary>
public static partial class VariableRules
{
    public const int MaxKeyLength = 255;

    /// <summary>64 KB of UTF-8: far beyond any real setting, small enough that a whole project's environment fits a container's limits.</summary>
    public const int MaxValueBytes = 64 * 1024;

    public const string PlatformPrefix = "MINIPAAS_";

    // Keys that change how every process in the container loads or runs code: legal, but almost always a mistake or an attack.
    private static readonly Dictionary<string, string> RiskyKeys = new(StringComparer.Ordinal)
    {
        ["LD_PRELOAD"] = "LD_PRELOAD makes every program in the container load this library first; set it only if you know you need it.",
        ["LD_LIBRARY_PATH"] = "LD_LIBRARY_PATH changes where every program in the container finds its libraries; it can break the image's own programs.",
        ["LD_AUDIT"] = "LD_AUDIT loads an auditing library into every program in the container.",
        ["PATH"] = "PATH replaces the image's own search path; programs the image relies on may no longer be found.",
        ["HOME"] = "HOME is normally set by the image; changing it moves where programs keep their files.",
        ["NODE_OPTIONS"] = "NODE_OPTIONS can make Node load arbitrary code (--require) before the app.",
        ["PYTHONPATH"] = "PYTHONPATH changes where Python imports modules from.",
        ["PYTHONSTARTUP"] = "PYTHONSTARTUP runs a file before interactive Python sessions.",
        ["BASH_ENV"] = "BASH_ENV runs a file before every non-interactive bash script.",
        ["ENV"] = "ENV runs a file when a POSIX shell (sh, dash, ash) starts interactively.",
        ["DOTNET_STARTUP_HOOKS"] = "DOTNET_STARTUP_HOOKS makes every .NET program load and run these assemblies before its Main.",
        ["DOTNET_ADDITIONAL_DEPS"] = "DOTNET_ADDITIONAL_DEPS adds assemblies to every .NET program's dependencies.",
        ["CORECLR_ENABLE_PROFILING"] = "CORECLR_ENABLE_PROFILING loads a native profiler (CORECLR_PROFILER_PATH) into every .NET program.",
        ["CORECLR_PROFILER_PATH"] = "CORECLR_PROFILER_PATH names a native library loaded into every .NET program when profiling is enabled.",
        ["JAVA_TOOL_OPTIONS"] = "JAVA_TOOL_OPTIONS adds options (a -javaagent runs arbitrary code) to every JVM started in the container.",
        ["JDK_JAVA_OPTIONS"] = "JDK_JAVA_OPTIONS adds options (a -javaagent runs arbitrary code) to every java launcher in the container.",
        ["_JAVA_OPTIONS"] = "_JAVA_OPTIONS adds options (a -javaagent runs arbitrary code) to every JVM started in the container.",
        ["PYTHONHOME"] = "PYTHONHOME moves Python's standard library; the image's Python may no longer start.",
        ["PYTHONINSPECT"] = "PYTHONINSPECT leaves Python in an interactive prompt after the script ends.",
        ["PERL5OPT"] = "PERL5OPT adds options (-M loads a module) to every Perl program.",
        ["PERL5LIB"] = "PERL5LIB changes where Perl loads modules from.",
        ["RUBYOPT"] = "RUBYOPT adds options (-r loads a file) to every Ruby program.",
        ["RUBYLIB"] = "RUBYLIB changes where Ruby loads files from.",
        ["PHPRC"] = "PHPRC makes PHP read another php.ini (auto_prepend_file runs code before every script).",
        ["PHP_INI_SCAN_DIR"] = "PHP_INI_SCAN_DIR makes PHP read extra ini files (auto_prepend_file runs code before every script).",
        ["GCONV_PATH"] = "GCONV_PATH makes the C library load character-conversion modules from another folder.",
    };

    /// <summary>Checks a key: the pattern <c>^[A-Za-z_][A-Za-z0-9_]*\z</c> (nothing after the last character, not even a newline), at most 255 characters, not platform-owned.</summary>
    public static VariableCheck CheckKey(string? key)
    {
        if (string.IsNullOrEmpty(key))
        {
            return new VariableCheck("A key is required.", []);
        }

        if (key.Length > MaxKeyLength)
        {
            return new VariableCheck($"A key is at most {MaxKeyLength} characters (this one has {key.Length}).", []);
        }

        if (!KeyPattern().IsMatch(key))
        {
            return new VariableCheck(
                "A key starts with a letter or an underscore and contains only letters, digits and underscores (A-Z, a-z, 0-9, _).", []);
        }

        if (IsPlatformOwned(key))
        {
            return new VariableCheck(
                key == "PORT"
                    ? "PORT is set by MiniPaas: it tells the app which port to listen on. Change the port in the project's settings instead."
                    : $"Keys starting with {PlatformPrefix} are set by MiniPaas on every deployment (project, subdomain, deployment id, commit) and cannot be overridden.",
                []);
        }

        return RiskyKeys.TryGetValue(key, out var warning) ? new VariableCheck(null, [warning]) : VariableCheck.Ok;
    }

    /// <summary>Checks a value: at most 64 KB of UTF-8 and no NUL character (the kernel ends an environment string at NUL).</summary>
    public static VariableCheck CheckValue(string? value)
    {
        if (value is null)
        {
            return new VariableCheck("A value is required (it may be empty).", []);
        }

        if (value.Contains('\0', StringComparison.Ordinal))
        {
            return new VariableCheck("A value cannot contain a NUL character.", []);
        }

        var bytes = Encoding.UTF8.GetByteCount(value);
        return bytes > MaxValueBytes
            ? new VariableCheck($"A value is at most 64 KB ({MaxValueBytes} bytes of UTF-8; this one has {bytes}).", [])
            : VariableCheck.Ok;
    }

    /// <summary>True for <c>PORT</c> and <c>MINIPAAS_*</c>: MiniPaas sets them on every container.</summary>
    public static bool IsPlatformOwned(string key) =>
        key == "PORT" || key.StartsWith(PlatformPrefix, StringComparison.Ordinal);

    // \z, not $: "$" also matches before a final newline, which would let "A\n" through.
    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*\z", RegexOptions.CultureInvariant)]
    internal static partial Regex KeyPattern();
}
