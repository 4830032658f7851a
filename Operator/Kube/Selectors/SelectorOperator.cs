namespace SecurityOperator.Kube.Selectors;

/// <summary>The four operators metav1.LabelSelectorRequirement allows (Gt/Lt exist only for node selectors).</summary>
public enum SelectorOperator { In, NotIn, Exists, DoesNotExist }
