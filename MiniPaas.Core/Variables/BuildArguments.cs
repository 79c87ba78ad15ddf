using System.Text;

namespace MiniPaas.Core.Variables;

/// <summary>
/// Variables marked "needed at build time" reach the build as build arguments, and a build argument is visible only to
/// an <c>ARG</c> of the same name in the stage that declares it. A repository's own Dockerfile declares what it needs;
/// a generated one gets an <c>ARG</c> per marked variable right after each <c>FROM</c>, so every stage (and its
/// <c>RUN</c> steps, as environment variables) sees them. Only names are written into the Dockerfile, never values.
/// </summary>
public static class BuildArguments
{
    public static string DeclareIn(string dockerfile, IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(dockerfile);
        ArgumentNullException.ThrowIfNull(names);
        var declared = names.Order(StringComparer.Ordinal).Select(n => $"ARG {n}").ToList();
        if (declared.Count == 0)
        {
            return dockerfile;
        }

        var result = new StringBuilder(dockerfile.Length + (declared.Count * 16));
        foreach (var line in dockerfile.ReplaceLineEndings("\n").Split('\n'))
        {
            result.Append(line).Append('\n');
            if (line.TrimStart().StartsWith("FROM ", StringComparison.OrdinalIgnoreCase))
            {
                result.Append("# Variables marked \"needed at build time\" in MiniPaas (build arguments).\n");
                declared.ForEach(d => result.Append(d).Append('\n'));
            }
        }

        // Split adds an empty last element for a text ending in a newline; keep the original ending.
        result.Length--;
        return result.ToString();
    }
}
