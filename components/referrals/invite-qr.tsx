import QRCode from "qrcode";

/** The invite link as a QR code, drawn on the server as SVG (no script, no image request); one accessible image. */
export async function InviteQr({ url, label }: { url: string; label: string }) {
  const svg = await QRCode.toString(url, { type: "svg", margin: 1 });
  return (
    <div
      role="img"
      aria-label={label}
      data-testid="invite-qr"
      className="size-40 shrink-0 rounded-lg border border-slate-200 bg-white p-1 [&>svg]:block [&>svg]:size-full"
      dangerouslySetInnerHTML={{ __html: svg }}
    />
  );
}
