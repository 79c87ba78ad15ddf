namespace MiniPaas.Core.Building.Detection;

/// <summary>A bare <c>index.html</c>: a static site served by a small HTTP server.</summary>
internal sealed class StaticSiteProbe : IStackProbe
{
    public DetectedStack? Probe(SourceFolder folder)
    {
        if (!folder.Exists("index.html"))
        {
            return null;
        }

        return new DetectedStack(StackKeys.Static, null, null, null, null,
            ["Found index.html and no application manifest: a static site served by a small HTTP server on $PORT."])
        {
            StaticDirectory = ".",
        };
    }
}
