namespace Wsconform.Wire;

/// <summary>
/// The outcome of giving one data frame to <see cref="MessageAssembler"/>: a finished message, a rule the peer
/// broke, or neither (the message continues). A violation is returned, never thrown, because it is an observation.
/// </summary>
/// <param name="Message">The message this frame finished, if any.</param>
/// <param name="Violation">The rule this frame broke, if any; the connection is to be failed with its code.</param>
public readonly record struct AssemblyStep(CompletedMessage? Message, WireViolation? Violation);
