import { startTransition, type FormEvent } from "react";

/**
 * An onSubmit that runs a server action by hand rather than through the
 * form's `action`: React resets a form after its action, and a refused form
 * must keep what was typed so it can be corrected. The button pressed is
 * sent too, so one form can offer several actions (name="action" value=…).
 */
export function submitKeepingInput(formAction: (data: FormData) => void) {
  return (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget, (e.nativeEvent as SubmitEvent).submitter);
    startTransition(() => formAction(data));
  };
}
