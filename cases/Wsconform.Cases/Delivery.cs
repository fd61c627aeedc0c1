using Wsconform.Engine.Scripting;
using Wsconform.Wire;

namespace Wsconform.Cases;

/// <summary>
/// How a case's frames leave the harness (catalogue §1.3). Autobahn runs many scenarios three times, once per
/// delivery, to catch peers whose parser depends on how frames line up with TCP reads.
/// </summary>
public enum Delivery
{
    /// <summary>Frames written back to back; the kernel may coalesce them into one segment.</summary>
    BackToBack,
    /// <summary>Autobahn's <c>sync=True</c> ("frame-wise chops"): each frame is its own write, with a yield after it.</summary>
    FrameWise,
    /// <summary>Autobahn's <c>chopsize=1</c> ("octet-wise chops"): every octet of every frame is its own write.</summary>
    OctetWise,
}

/// <summary>Turns a frame plus a <see cref="Delivery"/> into a script step, and describes the delivery in words.</summary>
public static class DeliveryExtensions
{
    /// <summary>The chop size of octet-wise delivery.</summary>
    public const int OctetChop = 1;

    public static SendFrame Send(this Delivery delivery, FrameSpec frame) => delivery switch
    {
        Delivery.BackToBack => new SendFrame(frame),
        Delivery.FrameWise => new SendFrame(frame, Sync: true),
        Delivery.OctetWise => new SendFrame(frame, ChopSize: OctetChop),
        _ => throw new ArgumentOutOfRangeException(nameof(delivery), delivery, null),
    };

    /// <summary>Plain-text phrase for a single frame's delivery, e.g. "one octet per write (octet-wise chops, chop size 1)".</summary>
    public static string DescribeSingle(this Delivery delivery) => delivery switch
    {
        Delivery.BackToBack => "in one write",
        Delivery.FrameWise => "in its own write (sync)",
        Delivery.OctetWise => "one octet per write (octet-wise chops, chop size 1)",
        _ => throw new ArgumentOutOfRangeException(nameof(delivery), delivery, null),
    };

    /// <summary>Plain-text phrase for stimulus descriptions, e.g. "every frame in its own write (frame-wise chops)".</summary>
    public static string Describe(this Delivery delivery) => delivery switch
    {
        Delivery.BackToBack => "frames written back to back",
        Delivery.FrameWise => "every frame in its own write (frame-wise chops, sync)",
        Delivery.OctetWise => "every octet in its own write (octet-wise chops, chop size 1)",
        _ => throw new ArgumentOutOfRangeException(nameof(delivery), delivery, null),
    };
}
