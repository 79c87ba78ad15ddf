namespace MiniPaas.Core.Building.Detection;

/// <summary>Recognises one stack in a source folder; <see cref="StackDetector"/> asks the probes in priority order.</summary>
internal interface IStackProbe
{
    /// <summary>The stack found in <paramref name="folder"/>, or null when this stack's signals are absent.</summary>
    /// <exception cref="StackNotDetectedException">The stack's signals are there but it cannot be built or started as found.</exception>
    DetectedStack? Probe(SourceFolder folder);
}
